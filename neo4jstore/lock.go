package neo4jstore

// The load lock: one load of a dataset at a time.
//
// A load holds a (:CoopgraphLoadLock {dataset}) node, unique per dataset
// (constraint coopgraph_load_lock_dataset), from before its first write to
// its last transaction, which deletes it together with the load marker. The
// node says who holds it (owner token; pid, host, boot id and pid namespace
// of the process) and until when: a lease of LoadOptions.Lease (a minute by
// default) from its last renewal, renewed every quarter lease while the
// load runs. Every write transaction of the load first checks, in the same
// transaction, that the lock is still its own with at least half a lease
// left, and a write transaction may last at most 2/5 of a lease (the
// driver's transaction timeout): so no batch of a load whose lease ran out
// can commit after another load took the lock over. All times are the
// database's clock (datetime()), never two machines' clocks compared.
//
// A load that finds the lock held by another
//   - takes it over at once when the holder ran on this machine (same host
//     name, boot id and pid namespace) and its process is gone (no such
//     pid, or one started at another time): a load killed with SIGKILL is
//     rerun without waiting and without manual cleanup;
//   - takes it over when its lease has expired: a holder killed on another
//     machine, or cut off from the database, stops renewing;
//   - otherwise waits up to LoadOptions.Wait for either, then is refused
//     with an UNAVAILABLE error naming the load that holds it.
// Taking over is safe because the killed load's writes are idempotent and
// the new load rewrites the whole dataset (see LoadWith).

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/coopgraph/coopgraph"
)

// DefaultLease is how long a load lock outlives its last renewal.
const DefaultLease = time.Minute

// tryLock takes the dataset's lock when it is free, already ours, expired,
// or held by $dead (a process known to be gone). Setting claim first takes
// the node's write lock before the holder is read, so two loads can never
// both see it free (Cypher manual, "Concurrent data access"); the MERGE
// under the uniqueness constraint makes the node exactly once.
const tryLock = `
MERGE (l:CoopgraphLoadLock {dataset: $dataset})
SET l.claim = $owner
WITH l, datetime() AS now
WITH l, now, l.owner AS prevOwner, l.holder AS prevHolder, l.since AS prevSince,
     l.renewedAt AS prevRenewed, l.expiresAt AS prevExpires,
     l.host AS prevHost, l.bootId AS prevBoot, l.pidNamespace AS prevPidNamespace,
     l.pid AS prevPid, l.processStart AS prevProcessStart,
     (l.owner IS NULL OR l.owner = $owner OR l.owner = $dead OR l.expiresAt < now) AS free
FOREACH (_ IN CASE WHEN free THEN [1] ELSE [] END |
  SET l += $process, l.owner = $owner, l.since = now, l.renewedAt = now,
      l.expiresAt = now + duration({milliseconds: $leaseMs}))
REMOVE l.claim
RETURN free, prevOwner, prevHolder, prevSince, prevRenewed, prevExpires,
       prevHost, prevBoot, prevPidNamespace, prevPid, prevProcessStart`

const renewLock = `
MATCH (l:CoopgraphLoadLock {dataset: $dataset, owner: $owner})
SET l.renewedAt = datetime(), l.expiresAt = datetime() + duration({milliseconds: $leaseMs})
RETURN count(l) AS held`

// guardLock is the first statement of every write transaction of a load.
const guardLock = `
OPTIONAL MATCH (l:CoopgraphLoadLock {dataset: $dataset})
RETURN coalesce(l.owner = $owner AND l.expiresAt > datetime() + duration({milliseconds: $marginMs}), false) AS held`

const releaseLock = `
MATCH (l:CoopgraphLoadLock {dataset: $dataset, owner: $owner})
DELETE l`

// loadLock is a held load lock.
type loadLock struct {
	s        *Store
	dataset  string
	owner    string
	lease    time.Duration
	acquired time.Time
	tookOver string

	mu   sync.Mutex
	lost error // set when a renewal found the lock taken over
}

// acquireLock takes the dataset's load lock, waiting up to opt.Wait for
// another load to finish or to be recognised as stopped.
func acquireLock(ctx context.Context, s *Store, dataset string, opt LoadOptions) (*loadLock, error) {
	token := make([]byte, 16)
	if _, err := rand.Read(token); err != nil {
		return nil, err
	}
	me := thisProcess()
	l := &loadLock{s: s, dataset: dataset, owner: hex.EncodeToString(token), lease: opt.Lease}
	deadline := time.Now().Add(opt.Wait)
	dead := ""
	for {
		prev, free, err := l.try(ctx, me, dead)
		if err != nil {
			return nil, err
		}
		if free {
			l.acquired = time.Now()
			switch prev.owner {
			case "", l.owner:
			case dead:
				l.tookOver = fmt.Sprintf("%s, since %s: its process is gone", prev.holder, stamp(prev.since))
			default:
				l.tookOver = fmt.Sprintf("%s, since %s: its lock expired at %s", prev.holder, stamp(prev.since), stamp(prev.expires))
			}
			return l, nil
		}
		if prev.proc.sameMachine(me) && !prev.proc.running() {
			dead = prev.owner // taken over at once, on the next try
			continue
		}
		if !time.Now().Before(deadline) {
			return nil, coopgraph.Errorf(coopgraph.EUNAVAILABLE,
				"dataset %q is being loaded by another load (%s, since %s, last renewed %s, lock held until %s unless renewed): "+
					"try again when it has finished, or let this load wait for it (coopgraph load --wait 10m)",
				dataset, prev.holder, stamp(prev.since), stamp(prev.renewed), stamp(prev.expires))
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(min(time.Second, time.Until(deadline))):
		}
	}
}

// lockHolder is what a lock node says about its holder.
type lockHolder struct {
	owner, holder           string
	since, renewed, expires time.Time
	proc                    process
}

func (l *loadLock) try(ctx context.Context, me process, dead string) (lockHolder, bool, error) {
	params := map[string]any{
		"dataset": l.dataset, "owner": l.owner, "dead": dead, "leaseMs": l.lease.Milliseconds(),
		"process": map[string]any{
			"holder": me.String(), "host": me.host, "bootId": me.boot, "pidNamespace": me.pidNS,
			"pid": int64(me.pid), "processStart": me.start,
		},
	}
	sess := l.s.session(ctx, neo4j.AccessModeWrite)
	defer closeSession(ctx, sess)
	type result struct {
		prev lockHolder
		free bool
	}
	r, err := neo4j.ExecuteWrite(ctx, sess, func(tx neo4j.ManagedTransaction) (result, error) {
		res, err := tx.Run(ctx, tryLock, params)
		if err != nil {
			return result{}, err
		}
		rec, err := res.Single(ctx)
		if err != nil {
			return result{}, err
		}
		get := func(k string) any { v, _ := rec.Get(k); return v }
		free, _ := get("free").(bool)
		pid, _ := get("prevPid").(int64)
		return result{free: free, prev: lockHolder{
			owner: str(get("prevOwner")), holder: str(get("prevHolder")),
			since: timeOf(get("prevSince")), renewed: timeOf(get("prevRenewed")), expires: timeOf(get("prevExpires")),
			proc: process{host: str(get("prevHost")), boot: str(get("prevBoot")), pidNS: str(get("prevPidNamespace")),
				pid: int(pid), start: str(get("prevProcessStart"))},
		}}, nil
	})
	if err != nil {
		return lockHolder{}, false, classify(err)
	}
	return r.prev, r.free, nil
}

// keep renews the lock every quarter lease until stop is called. When a
// renewal finds the lock taken over, the returned context is cancelled and
// cause says why.
func (l *loadLock) keep(ctx context.Context) (context.Context, func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(l.lease / 4)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
			}
			held, err := l.renew(ctx)
			if err == nil && !held {
				l.mu.Lock()
				l.lost = coopgraph.Errorf(coopgraph.EUNAVAILABLE,
					"the load of dataset %q lost its lock to another load (it had not been renewed for a lease of %s): stopped; run it again",
					l.dataset, l.lease)
				l.mu.Unlock()
				cancel()
				return
			}
			// A failed renewal is tried again at the next tick; meanwhile
			// the guard of each write stops the load if the lease runs low.
		}
	})
	return ctx, func() { close(done); wg.Wait(); cancel() }
}

func (l *loadLock) renew(ctx context.Context) (bool, error) {
	sess := l.s.session(ctx, neo4j.AccessModeWrite)
	defer closeSession(ctx, sess)
	n, err := neo4j.ExecuteWrite(ctx, sess, func(tx neo4j.ManagedTransaction) (int64, error) {
		res, err := tx.Run(ctx, renewLock, map[string]any{"dataset": l.dataset, "owner": l.owner, "leaseMs": l.lease.Milliseconds()})
		if err != nil {
			return 0, err
		}
		rec, err := res.Single(ctx)
		if err != nil {
			return 0, err
		}
		n, _, err := neo4j.GetRecordValue[int64](rec, "held")
		return n, err
	})
	if err != nil {
		return false, classify(err)
	}
	return n > 0, nil
}

// cause is the error a failed load reports: the lost lock when that is
// what stopped it.
func (l *loadLock) cause(err error) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.lost != nil {
		return l.lost
	}
	return err
}

// guard fails the transaction tx unless the lock is still this load's with
// at least half a lease left; see the package comment of lock.go.
func (l *loadLock) guard(ctx context.Context, tx neo4j.ManagedTransaction) error {
	res, err := tx.Run(ctx, guardLock, map[string]any{"dataset": l.dataset, "owner": l.owner, "marginMs": (l.lease / 2).Milliseconds()})
	if err != nil {
		return err
	}
	rec, err := res.Single(ctx)
	if err != nil {
		return err
	}
	if held, _, err := neo4j.GetRecordValue[bool](rec, "held"); err != nil || !held {
		return coopgraph.Errorf(coopgraph.EUNAVAILABLE,
			"the load of dataset %q no longer holds its lock with half a lease (%s) left: stopped before writing more; run it again",
			l.dataset, l.lease/2)
	}
	return nil
}

// txTimeout bounds each write transaction, so that one whose guard passed
// commits while the lease still holds.
func (l *loadLock) txTimeout() time.Duration { return l.lease * 2 / 5 }

func (l *loadLock) releaseStatement() statement {
	return statement{releaseLock, map[string]any{"dataset": l.dataset, "owner": l.owner}}
}

// release gives the lock back (after a failed load).
func (l *loadLock) release(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	st := l.releaseStatement()
	return l.s.write(ctx, st.cypher, st.params)
}

// process identifies a running process well enough to tell, on the same
// machine, whether it still runs.
type process struct {
	host, boot, pidNS string
	pid               int
	start             string // start time in clock ticks after boot (/proc/PID/stat)
}

func thisProcess() process {
	p := process{pid: os.Getpid()}
	p.host, _ = os.Hostname()
	if b, err := os.ReadFile("/proc/sys/kernel/random/boot_id"); err == nil {
		p.boot = strings.TrimSpace(string(b))
	}
	p.pidNS, _ = os.Readlink("/proc/self/ns/pid")
	p.start, _ = procStart(p.pid)
	return p
}

func (p process) String() string {
	return fmt.Sprintf("pid %d on host %s", p.pid, p.host)
}

// sameMachine says whether q's pid means the same process here: same host,
// same running kernel, same pid namespace. Unknown parts never match.
func (p process) sameMachine(q process) bool {
	return p.host != "" && p.boot != "" && p.pidNS != "" && p.start != "" &&
		p.host == q.host && p.boot == q.boot && p.pidNS == q.pidNS && q.pid > 0
}

// running says whether the process still runs on this machine: a pid that
// is gone, a zombie, or a pid reused by a process started at another time
// is not it.
func (p process) running() bool {
	start, err := procStart(p.pid)
	if errors.Is(err, os.ErrNotExist) || (err == nil && start != p.start) || errors.Is(err, errZombie) {
		return false
	}
	return true // when in doubt, it runs: the lease decides
}

var errZombie = errors.New("zombie")

// procStart reads a process's start time from /proc/PID/stat (field 22,
// counted after the command name, which may hold spaces and parentheses).
func procStart(pid int) (string, error) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return "", err
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return "", fmt.Errorf("/proc/%d/stat: unexpected format", pid)
	}
	f := strings.Fields(s[i+1:])
	if len(f) < 20 {
		return "", fmt.Errorf("/proc/%d/stat: unexpected format", pid)
	}
	if f[0] == "Z" || f[0] == "X" {
		return "", errZombie
	}
	return f[19], nil
}

func timeOf(v any) time.Time {
	t, _ := v.(time.Time)
	return t
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return "unknown"
	}
	return t.UTC().Format("2006-01-02 15:04:05 UTC")
}
