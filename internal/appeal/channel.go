package appeal

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"qifu/internal/access"
	"qifu/internal/fault"
)

// ChannelsOf are the channels each role may say an appeal came by, the
// first taken when the caller names none: an enterprise raises its own on
// the web (or through a system of its own), staff enter one for it met on a
// visit, by phone or at a desk. Every role that may raise an appeal is here.
var ChannelsOf = map[access.Role][]Channel{
	access.RoleEnterprise:     {ChannelWeb, ChannelAPI},
	access.RoleCadre:          {ChannelVisit, ChannelHotline, ChannelWalkIn},
	access.RoleGridWorker:     {ChannelVisit, ChannelHotline, ChannelWalkIn},
	access.RoleCommunityStaff: {ChannelVisit, ChannelHotline, ChannelWalkIn},
	// An administrator records what reached the platform otherwise, above
	// all what a higher level passed down (上级转办).
	access.RoleAdmin: {ChannelReferral, ChannelHotline, ChannelVisit, ChannelWalkIn, ChannelWeb, ChannelAPI},
	// A connected system records what reached it: a hotline's calls, a
	// platform's submissions, what a higher level passed down.
	access.RoleService: {ChannelAPI, ChannelHotline, ChannelReferral},
}

// MaxSourceRef is the longest reference a connected system gives an appeal.
const MaxSourceRef = 64

// CheckSourceRef checks the reference an appeal is raised with: only a
// connected system (role service) gives one — what it calls the appeal, to
// find it again —, printable and at most MaxSourceRef characters.
func CheckSourceRef(role access.Role, ref string) error {
	if ref == "" {
		return nil
	}
	if role != access.RoleService {
		return fault.Fields{"source_ref": {Zh: "只有对接系统可以填写来源编号", En: "only a connected system gives a source reference"}}.Err()
	}
	if utf8.RuneCountInString(ref) > MaxSourceRef || strings.ContainsFunc(ref, func(r rune) bool { return !unicode.IsPrint(r) }) {
		return fault.Fields{"source_ref": {Zh: "来源编号至多 64 个可见字符", En: "a source reference has at most 64 printable characters"}}.Err()
	}
	return nil
}

// ChannelFor is the channel an appeal raised by role with channel asked is
// recorded by: the role's usual one when none is asked, the one asked when
// the role may use it. One it may not use is refused by name, never changed
// behind the caller's back. A role outside ChannelsOf keeps what it asked
// (Input.Validate checks it).
func ChannelFor(role access.Role, asked Channel) (Channel, error) {
	allowed, ok := ChannelsOf[role]
	switch {
	case !ok:
		return asked, nil
	case asked == "":
		return allowed[0], nil
	case slices.Contains(allowed, asked):
		return asked, nil
	}
	names := make([]string, len(allowed))
	for i, c := range allowed {
		names[i] = string(c)
	}
	list := strings.Join(names, ", ")
	return asked, fault.Fields{"channel": {Zh: "您的角色不能以此渠道登记诉求，可选：" + list,
		En: "your role cannot record an appeal by this channel; it may use: " + list}}.Err()
}
