package brands

import (
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
)

// Category is a brand's 业态, from a fixed list.
type Category string

// The categories (业态).
const (
	CategoryDining        Category = "dining"        // 餐饮
	CategoryRetail        Category = "retail"        // 零售
	CategoryApparel       Category = "apparel"       // 服装
	CategoryEntertainment Category = "entertainment" // 娱乐
	CategoryKids          Category = "kids"          // 儿童
	CategoryServices      Category = "services"      // 生活服务
	CategorySupermarket   Category = "supermarket"   // 超市
	CategoryOther         Category = "other"         // 其他
)

// Categories lists every category.
var Categories = []Category{CategoryDining, CategoryRetail, CategoryApparel, CategoryEntertainment, CategoryKids,
	CategoryServices, CategorySupermarket, CategoryOther}

// Grade is how much a mall wants a brand: A (anchor, flagship), B, C.
type Grade string

// The grades.
const (
	GradeA Grade = "A"
	GradeB Grade = "B"
	GradeC Grade = "C"
)

// Brand is a brand of a group's library.
type Brand struct {
	ID             uuid.UUID
	GroupID        uuid.UUID
	Name           string
	NormalizedName string
	Category       Category
	Grade          Grade
	Notes          string
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// BrandInput is a brand's editable fields.
type BrandInput struct {
	GroupID  uuid.UUID // on create only
	Name     string
	Category Category
	Grade    Grade
	Notes    string
}

// Contact is a person at a brand.
type Contact struct {
	ID      uuid.UUID
	BrandID uuid.UUID
	Name    string
	Role    string // 职务, e.g. 拓展经理
	Phone   string
	Email   string
}

// Attachment is a file attached to a brand.
type Attachment struct {
	ID          uuid.UUID
	BrandID     uuid.UUID
	Key         string
	Filename    string
	ContentType string
	Size        int64
	CreatedAt   time.Time
}

// Upload is where a client PUTs a file's bytes before attaching it.
type Upload struct {
	Key       string
	URL       string
	ExpiresAt time.Time
}

// Prospect is a brand wanted in a mall.
type Prospect struct {
	ID            uuid.UUID
	GroupID       uuid.UUID
	MallID        uuid.UUID
	BrandID       uuid.UUID
	WantedArea    *decimal.Decimal // m²
	WantedUnitIDs []uuid.UUID      // units of the leasing context
	OwnerID       uuid.UUID        // the staff member in charge
	Stage         Stage
	LostReason    LostReason // lost only
	LostNote      string
	ContractID    *uuid.UUID // the leasing contract, once there is one
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// ProspectInput creates a prospect.
type ProspectInput struct {
	MallID        uuid.UUID
	BrandID       uuid.UUID
	WantedArea    *decimal.Decimal
	WantedUnitIDs []uuid.UUID
	OwnerID       uuid.UUID
}

// StageChange is a stage a prospect entered.
type StageChange struct {
	ID      uuid.UUID
	From    Stage // "" for the creation as a lead
	To      Stage
	At      time.Time
	ActorID *uuid.UUID // nil: the seed or a job
}

// FollowUpKind is how a follow-up happened.
type FollowUpKind string

// The follow-up kinds.
const (
	FollowUpCall    FollowUpKind = "call"
	FollowUpVisit   FollowUpKind = "visit"
	FollowUpMeeting FollowUpKind = "meeting"
	FollowUpEmail   FollowUpKind = "email"
)

// FollowUp is a contact with a prospect's brand.
type FollowUp struct {
	ID         uuid.UUID
	ProspectID uuid.UUID
	Kind       FollowUpKind
	Note       string
	NextOn     *time.Time // the next follow-up's date, if planned
	ByID       *uuid.UUID
	At         time.Time
}
