import CareModel
import Testing

@Suite("Hybrid logical clock")
struct HybridLogicalClockTests {
    let hour: Int64 = 3_600_000
    let day: Int64 = 86_400_000

    @Test("readings strictly increase when the phone's clock jumps back an hour")
    func monotonicWhenClockGoesBack() {
        var clock = HybridLogicalClock()
        let first = clock.tick(physicalMillis: Fixtures.start)
        let second = clock.tick(physicalMillis: Fixtures.start - hour)
        let third = clock.tick(physicalMillis: Fixtures.start - hour + 1)
        #expect(first < second && second < third)
        #expect(second.wallMillis == Fixtures.start && second.logical == 1)
    }

    @Test("readings follow physical time again once it catches up")
    func followsPhysicalTime() {
        var clock = HybridLogicalClock()
        _ = clock.tick(physicalMillis: Fixtures.start)
        _ = clock.tick(physicalMillis: Fixtures.start - hour)
        let later = clock.tick(physicalMillis: Fixtures.start + 5)
        #expect(later == HLCTimestamp(wallMillis: Fixtures.start + 5, logical: 0))
    }

    @Test("a remote timestamp within the drift bound is adopted: the next reading is after it")
    func adoptsRemoteWithinBound() {
        var clock = HybridLogicalClock()
        let remote = HLCTimestamp(wallMillis: Fixtures.start + 60_000, logical: 7)
        #expect(clock.observe(remote, physicalMillis: Fixtures.start) == .adopted)
        let next = clock.tick(physicalMillis: Fixtures.start)
        #expect(next > remote)
    }

    @Test("a phone a day ahead cannot drag another replica's clock a day ahead")
    func boundsForwardDrift() {
        var clock = HybridLogicalClock()
        let remote = HLCTimestamp(wallMillis: Fixtures.start + day)
        let observation = clock.observe(remote, physicalMillis: Fixtures.start)
        #expect(observation == .tooFarAhead(byMillis: day - HybridLogicalClock.defaultMaximumForwardDrift))
        #expect(clock.tick(physicalMillis: Fixtures.start).wallMillis == Fixtures.start)
    }

    @Test("a phone a day ahead keeps its own readings monotonic after being corrected")
    func aheadPhoneStaysMonotonic() {
        var clock = HybridLogicalClock()
        let ahead = clock.tick(physicalMillis: Fixtures.start + day)
        let corrected = clock.tick(physicalMillis: Fixtures.start)
        #expect(corrected > ahead)
    }

    @Test("a full logical counter moves the wall time on by a millisecond instead of wrapping")
    func logicalOverflow() {
        var clock = HybridLogicalClock(latest: HLCTimestamp(wallMillis: Fixtures.start, logical: .max))
        let next = clock.tick(physicalMillis: Fixtures.start)
        #expect(next == HLCTimestamp(wallMillis: Fixtures.start + 1, logical: 0))
    }
}
