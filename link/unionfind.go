package link

// unionFind is a disjoint-set forest over records, with not-same-as
// constraints between sets: a union that would join two sets kept apart
// is refused, whichever records of the sets the constraint named.
type unionFind struct {
	parent []int32
	size   []int32
	// notWith maps a set's root to the roots of the sets it must not join.
	notWith map[int32]map[int32]bool
}

func newUnionFind(n int) *unionFind {
	u := &unionFind{parent: make([]int32, n), size: make([]int32, n), notWith: map[int32]map[int32]bool{}}
	for i := range u.parent {
		u.parent[i] = int32(i)
		u.size[i] = 1
	}
	return u
}

func (u *unionFind) find(x int) int32 {
	r := int32(x)
	for u.parent[r] != r {
		r = u.parent[r]
	}
	for c := int32(x); u.parent[c] != r; {
		c, u.parent[c] = u.parent[c], r
	}
	return r
}

// apart keeps the sets of a and b apart from now on.
func (u *unionFind) apart(a, b int) {
	ra, rb := u.find(a), u.find(b)
	if ra == rb {
		return
	}
	u.mark(ra, rb)
	u.mark(rb, ra)
}

func (u *unionFind) mark(a, b int32) {
	m := u.notWith[a]
	if m == nil {
		m = map[int32]bool{}
		u.notWith[a] = m
	}
	m[b] = true
}

// union joins the sets of a and b: ok is false when a constraint refused
// it, joined whether two sets became one.
func (u *unionFind) union(a, b int) (ok, joined bool) {
	ra, rb := u.find(a), u.find(b)
	if ra == rb {
		return true, false
	}
	if u.notWith[ra][rb] {
		return false, false
	}
	u.link(ra, rb)
	return true, true
}

// force joins the sets of a and b whatever the constraints (same id).
func (u *unionFind) force(a, b int) {
	ra, rb := u.find(a), u.find(b)
	if ra != rb {
		u.link(ra, rb)
	}
}

func (u *unionFind) link(ra, rb int32) {
	if u.size[ra] < u.size[rb] {
		ra, rb = rb, ra
	}
	u.parent[rb] = ra
	u.size[ra] += u.size[rb]
	for x := range u.notWith[rb] {
		delete(u.notWith[x], rb)
		if x != ra {
			u.mark(x, ra)
			u.mark(ra, x)
		}
	}
	delete(u.notWith, rb)
	delete(u.notWith[ra], ra)
}
