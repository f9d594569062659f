package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/kunming-hrss/laborbrand/calendar"
)

type clockView struct {
	Now           time.Time `json:"now"`
	Today         string    `json:"today"`
	TimeScale     int64     `json:"time_scale"`
	BusinessStart string    `json:"business_start"`
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
