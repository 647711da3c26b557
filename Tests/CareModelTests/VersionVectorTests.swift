import CareModel
import Testing

@Suite("Vector clocks")
struct VersionVectorTests {
    /// Every vector over 3 replicas with counters 0...2: 27 vectors, 729 pairs.
    static let all: [VersionVector] = {
        var vectors: [VersionVector] = []
        for a in 0...2 as ClosedRange<UInt64> {
            for b in 0...2 as ClosedRange<UInt64> {
                for c in 0...2 as ClosedRange<UInt64> {
                    vectors.append(VersionVector([Fixtures.replica(1): a, Fixtures.replica(2): b, Fixtures.replica(3): c]))
                }
            }
        }
        return vectors
    }()

    /// The oracle: compare entry by entry.
    static func lessOrEqual(_ lhs: VersionVector, _ rhs: VersionVector) -> Bool {
        (1...3).allSatisfy { lhs[Fixtures.replica($0)] <= rhs[Fixtures.replica($0)] }
    }

    @Test("compare agrees with the entrywise order, exhaustively")
    func compareMatchesOracle() {
        for lhs in Self.all {
            for rhs in Self.all {
                let expected: VersionVector.Ordering =
                    switch (Self.lessOrEqual(lhs, rhs), Self.lessOrEqual(rhs, lhs)) {
                    case (true, true): .equal
                    case (true, false): .before
                    case (false, true): .after
                    case (false, false): .concurrent
                    }
                #expect(lhs.compare(rhs) == expected, "\(lhs) vs \(rhs)")
            }
        }
    }

    @Test("merge is commutative, associative, idempotent and an upper bound")
    func mergeLaws() {
        for a in Self.all {
            #expect(a.merging(a) == a)
            for b in Self.all {
                let ab = a.merging(b)
                #expect(ab == b.merging(a))
                #expect(Self.lessOrEqual(a, ab) && Self.lessOrEqual(b, ab))
                for c in Self.all.prefix(9) {
                    #expect(ab.merging(c) == a.merging(b.merging(c)))
                }
            }
        }
    }

    @Test("increment moves a vector strictly after itself and yields the next dot")
    func incrementLaws() {
        for vector in Self.all {
            var next = vector
            let dot = next.increment(Fixtures.replica(2))
            #expect(dot.counter == vector[Fixtures.replica(2)] + 1)
            #expect(next.compare(vector) == .after)
            #expect(next.contains(dot) && !vector.contains(dot))
        }
    }

    @Test("a dot is contained exactly when its counter is at most the entry")
    func containsDot() {
        let vector = VersionVector([Fixtures.replica(1): 3])
        #expect(vector.contains(Dot(replica: Fixtures.replica(1), counter: 3)))
        #expect(!vector.contains(Dot(replica: Fixtures.replica(1), counter: 4)))
        #expect(!vector.contains(Dot(replica: Fixtures.replica(2), counter: 1)))
        #expect(vector.count == 1)
    }

    @Test("zero counters are not stored, so equal vectors are equal values")
    func zeroCountersDropped() {
        let withZero = VersionVector([Fixtures.replica(1): 0, Fixtures.replica(2): 1])
        #expect(withZero == VersionVector([Fixtures.replica(2): 1]))
        #expect(withZero.count == 1)
    }
}
