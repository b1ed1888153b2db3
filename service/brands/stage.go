package brands

import (
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/state"
)

// Stage is where a prospect stands in the pipeline.
type Stage string

// The stages, in pipeline order; lost is off the pipeline.
const (
	StageLead        Stage = "lead"        // 线索
	StageVisited     Stage = "visited"     // 已拜访
	StageNegotiating Stage = "negotiating" // 洽谈中
	StageLOI         Stage = "loi"         // 意向书
	StageContract    Stage = "contract"    // 合同
	StageWon         Stage = "won"         // 签约
	StageLost        Stage = "lost"        // 流失
)

// Pipeline lists the stages a won prospect passes, in order (the funnel's rows).
var Pipeline = []Stage{StageLead, StageVisited, StageNegotiating, StageLOI, StageContract, StageWon}

// Move is the event of moving a prospect: its name is the stage it moves to.
type Move string

// ErrIllegalMove: the prospect cannot move to that stage from where it is.
var ErrIllegalMove = errs.New(errs.KindUser, "ILLEGAL_STAGE_CHANGE", "the prospect cannot move to that stage")

// stageMachine: a prospect moves forward, possibly skipping stages (a brand may sign a
// letter of intent at the first visit), up to contract; it is won only from contract
// (the contract signed); it is lost from any open stage. Won and lost are final, and
// nothing moves backwards: a prospect that comes back is a new one.
var stageMachine = state.New("prospect", ErrIllegalMove, map[Move]map[Stage]Stage{
	Move(StageVisited):     {StageLead: StageVisited},
	Move(StageNegotiating): {StageLead: StageNegotiating, StageVisited: StageNegotiating},
	Move(StageLOI):         {StageLead: StageLOI, StageVisited: StageLOI, StageNegotiating: StageLOI},
	Move(StageContract):    {StageNegotiating: StageContract, StageLOI: StageContract},
	Move(StageWon):         {StageContract: StageWon},
	Move(StageLost): {StageLead: StageLost, StageVisited: StageLost, StageNegotiating: StageLost, StageLOI: StageLost,
		StageContract: StageLost},
})

// LostReason is why a prospect was lost.
type LostReason string

// The reasons a prospect is lost.
const (
	LostRent       LostReason = "rent"       // 租金条件谈不拢
	LostLocation   LostReason = "location"   // 铺位位置不合适
	LostArea       LostReason = "area"       // 面积不合适
	LostStrategy   LostReason = "strategy"   // 品牌拓展计划调整
	LostCompetitor LostReason = "competitor" // 选择了竞争项目
	LostTiming     LostReason = "timing"     // 时间不合适
	LostOther      LostReason = "other"      // 其他 (needs a note)
)

// LostReasons lists every reason.
var LostReasons = []LostReason{LostRent, LostLocation, LostArea, LostStrategy, LostCompetitor, LostTiming, LostOther}
