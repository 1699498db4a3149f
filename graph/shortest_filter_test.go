package graph

import "testing"

// TestStepFilterAgreesWithStep checks the one specialisation of the path
// searches: under every constraint, and in a spur search of Yen's (a cut
// and a blocked entity), the fast mode expand chooses (keepAll, keepTypes)
// decides every step as pathSearch.step does, so that the fast loop cannot
// drift from the rule; the rest must choose keepSome, which asks step.
func TestStepFilterAgreesWithStep(t *testing.T) {
	s := NewSnapshot(datedDataset(400, 1200, 7))
	from, to := s.ids[10], s.ids[len(s.ids)-1] // not the entities benchPathOptions avoids
	modes := map[uint8]int{}
	for _, bc := range benchPathOptions {
		for _, yen := range []bool{false, true} {
			q, err := s.compile(from, to, bc.opt)
			if err != nil {
				t.Fatalf("%s: %v", bc.name, err)
			}
			ps := s.getSearch(q)
			ps.target(q.src, q.dst, q.maxHops)
			if yen { // a spur search: the relations of node 1 cut, node 2 blocked
				ps.cutAt, ps.cut = 1, append(ps.cut[:0], s.via[s.off[1]:s.off[2]]...)
				ps.blocked[2] = true
			}
			f := ps.filter()
			modes[f.mode]++
			kept, steps := 0, 0
			for u := range int32(len(s.ids)) {
				for _, r := range s.via[s.off[u]:s.off[u+1]] {
					w := s.other(u, r)
					want := ps.step(u, w, r)
					var got bool
					switch f.mode {
					case keepAll:
						got = true
					case keepTypes:
						got = f.keepsType(s.word[r])
					default:
						got = want // keepSome asks step itself
					}
					if got != want {
						t.Fatalf("%s (spur %v): mode %d decides the step %s -> %s over %s as %v, step as %v",
							bc.name, yen, f.mode, s.ids[u], s.ids[w], s.relation(r).ID, got, want)
					}
					steps++
					if want {
						kept++
					}
				}
			}
			if yen {
				ps.cutAt, ps.cut = -1, ps.cut[:0]
				ps.blocked[2] = false
			}
			s.putSearch(ps)
			t.Logf("%s (spur %v): mode %d keeps %d of %d steps", bc.name, yen, f.mode, kept, steps)
		}
	}
	if modes[keepAll] == 0 || modes[keepTypes] == 0 || modes[keepSome] == 0 {
		t.Errorf("the queries chose the modes %v; want every mode at least once", modes)
	}
}
