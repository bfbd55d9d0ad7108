"""Union-find over record numbers, with the known regions and years of each cluster (for the merge guard)."""

from __future__ import annotations


class UnionFind:
    """Disjoint sets of 0..n-1; each root remembers the regions and years its members declare."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))
        self.labels: dict[int, tuple[frozenset[str], frozenset[str]]] = {}

    def label(self, i: int, region: str | None, year: str | None) -> None:
        """Record a member's known region and year (None when unknown)."""
        root = self.find(i)
        regions, years = self.labels.get(root, (frozenset(), frozenset()))
        self.labels[root] = (regions | ({region} if region else set()), years | ({year} if year else set()))

    def find(self, i: int) -> int:
        """The root of i's set (with path halving)."""
        parent = self.parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def conflict(self, i: int, j: int) -> bool:
        """True when i's and j's clusters both know a region (or a year) and share none."""
        a = self.labels.get(self.find(i), (frozenset(), frozenset()))
        b = self.labels.get(self.find(j), (frozenset(), frozenset()))
        return any(x and y and x.isdisjoint(y) for x, y in zip(a, b, strict=True))

    def union(self, i: int, j: int) -> None:
        """Merge the sets of i and j; the smaller root number stays root (deterministic)."""
        ri, rj = self.find(i), self.find(j)
        if ri == rj:
            return
        if rj < ri:
            ri, rj = rj, ri
        self.parent[rj] = ri
        a = self.labels.pop(rj, None)
        if a is not None:
            b = self.labels.get(ri, (frozenset(), frozenset()))
            self.labels[ri] = (a[0] | b[0], a[1] | b[1])
