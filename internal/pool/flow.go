package pool

// A flow network for the minimum-cost maximum flow the matcher solves:
// successive shortest paths with Dijkstra on reduced costs (Johnson's
// potentials). Costs are non-negative, so the potentials start at zero; each
// search stops when it reaches the sink, and every node's potential grows by
// the lesser of its distance and the sink's, which keeps the reduced costs
// non-negative. Each augmentation pushes the bottleneck of the cheapest path;
// the flow found is maximum and, among maximum flows, of least cost.

type edge struct {
	to, rev   int
	cap, cost int
}

type network struct {
	adj [][]edge
}

func newNetwork(n int) *network { return &network{adj: make([][]edge, n)} }

// add adds an edge and its residual twin; it returns the edge's place.
func (g *network) add(from, to, cap, cost int) (int, int) {
	g.adj[from] = append(g.adj[from], edge{to: to, rev: len(g.adj[to]), cap: cap, cost: cost})
	g.adj[to] = append(g.adj[to], edge{to: from, rev: len(g.adj[from]) - 1, cap: 0, cost: -cost})
	return from, len(g.adj[from]) - 1
}

// flowOn is the flow through the edge at (from, i).
func (g *network) flowOn(from, i int) int {
	e := g.adj[from][i]
	return g.adj[e.to][e.rev].cap
}

// queue is a binary heap of nodes by distance, without the allocations of
// container/heap's interface.
type item struct{ node, dist int }
type queue []item

func (q *queue) push(x item) {
	*q = append(*q, x)
	h := *q
	i := len(h) - 1
	for i > 0 {
		p := (i - 1) / 2
		if h[p].dist <= h[i].dist {
			break
		}
		h[p], h[i] = h[i], h[p]
		i = p
	}
}

func (q *queue) pop() item {
	h := *q
	x := h[0]
	n := len(h) - 1
	h[0] = h[n]
	h = h[:n]
	i := 0
	for {
		l := 2*i + 1
		if l >= n {
			break
		}
		if r := l + 1; r < n && h[r].dist < h[l].dist {
			l = r
		}
		if h[i].dist <= h[l].dist {
			break
		}
		h[i], h[l] = h[l], h[i]
		i = l
	}
	*q = h
	return x
}

const infinity = int(^uint(0) >> 2)

// minCostMaxFlow sends as much flow as it can from s to t at the least
// cost, and returns the flow and its cost.
func (g *network) minCostMaxFlow(s, t int) (flow, cost int) {
	n := len(g.adj)
	potential := make([]int, n)
	dist := make([]int, n)
	prevNode := make([]int, n)
	prevEdge := make([]int, n)
	var q queue
	for {
		for i := range dist {
			dist[i] = infinity
		}
		dist[s] = 0
		q = q[:0]
		q.push(item{s, 0})
		for len(q) > 0 {
			it := q.pop()
			if it.dist > dist[it.node] {
				continue
			}
			u := it.node
			if u == t {
				break
			}
			for i, e := range g.adj[u] {
				if e.cap == 0 {
					continue
				}
				d := dist[u] + e.cost + potential[u] - potential[e.to]
				if d < dist[e.to] {
					dist[e.to] = d
					prevNode[e.to], prevEdge[e.to] = u, i
					q.push(item{e.to, d})
				}
			}
		}
		if dist[t] == infinity {
			return flow, cost
		}
		reach := dist[t]
		for i := range potential {
			potential[i] += min(dist[i], reach)
		}
		push := infinity
		for v := t; v != s; v = prevNode[v] {
			push = min(push, g.adj[prevNode[v]][prevEdge[v]].cap)
		}
		for v := t; v != s; v = prevNode[v] {
			e := &g.adj[prevNode[v]][prevEdge[v]]
			e.cap -= push
			g.adj[v][e.rev].cap += push
			cost += push * e.cost
		}
		flow += push
	}
}
