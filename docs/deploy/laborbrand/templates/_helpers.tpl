{{/* The environment both the worker and the API run with. */}}
{{- define "laborbrand.env" -}}
- name: DATABASE_URL
  valueFrom:
    secretKeyRef: {name: {{ .Values.database.urlSecret }}, key: url}
- name: TEMPORAL_ADDRESS
  value: {{ .Values.temporal.address | quote }}
- name: LB_TEMPORAL_NAMESPACE
  value: {{ .Values.temporal.namespace | quote }}
- name: LB_TEMPORAL_TLS_CERT
  value: /etc/laborbrand/temporal-tls/tls.crt
- name: LB_TEMPORAL_TLS_KEY
  value: /etc/laborbrand/temporal-tls/tls.key
- name: LB_TEMPORAL_TLS_CA
  value: /etc/laborbrand/temporal-tls/ca.crt
- name: LB_TEMPORAL_TLS_SERVER_NAME
  value: {{ .Values.temporal.serverName | quote }}
{{- range $name, $ref := .Values.secretEnv }}
- name: {{ $name }}
  valueFrom:
    secretKeyRef: {name: {{ $ref.secret }}, key: {{ $ref.key }}}
{{- end }}
{{- range $name, $value := .Values.env }}
- name: {{ $name }}
  value: {{ $value | quote }}
{{- end }}
{{- end -}}

{{/* The certificates both mount. */}}
{{- define "laborbrand.volumes" -}}
- name: temporal-tls
  secret: {secretName: {{ .Values.temporal.tlsSecret }}}
- name: db-ca
  secret: {secretName: {{ .Values.database.caSecret }}}
{{- end -}}

{{- define "laborbrand.volumeMounts" -}}
- {name: temporal-tls, mountPath: /etc/laborbrand/temporal-tls, readOnly: true}
- {name: db-ca, mountPath: /etc/laborbrand/db-ca, readOnly: true}
{{- end -}}

{{- define "laborbrand.labels" -}}
app.kubernetes.io/name: laborbrand
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Values.image.tag | quote }}
{{- end -}}

{{- define "laborbrand.securityContext" -}}
runAsNonRoot: true
readOnlyRootFilesystem: true
allowPrivilegeEscalation: false
capabilities: {drop: [ALL]}
{{- end -}}
