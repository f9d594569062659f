package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/kunming-hrss/laborbrand/calendar"
)

type clockView struct {
	Now           time.Time `json:"now" doc:"业务时间"`
	Today         string    `json:"today" format:"date" doc:"业务日期（北京时间）"`
	TimeScale     int64     `json:"time_scale" doc:"业务时间相对真实时间的倍速（1 为真实时间）"`
	BusinessStart string    `json:"business_start" doc:"业务时间的起点"`
}

func (s *Server) getClock(c *gin.Context) {
	now := s.now().In(calendar.Shanghai)
	scale := s.Clock.Scale
	if scale <= 0 {
		scale = 1
	}
	start := calendar.DateOf(now)
	if !s.Clock.IsReal() {
		start = calendar.DateOf(s.Clock.BusinessOrigin)
	}
	c.JSON(http.StatusOK, clockView{Now: now, Today: calendar.DateOf(now).String(), TimeScale: scale, BusinessStart: start.String()})
}
