import CareModel
import Testing

/// The reducer's record of which operations a record has seen, packed by
/// replica position (see `AppliedDots`): duplicates are ignored whatever the
/// order in which replicas first reach the record, and whatever the counters.
@Suite("Applied operations")
struct AppliedDotsTests {
    /// An update of the note's text by `replica` with `counter`, having seen nothing.
    static func edit(by replica: UInt64, counter: UInt64, at millis: Int64 = Fixtures.start) -> Operation {
        Operation(
            id: Dot(replica: Fixtures.replica(replica), counter: counter), record: Fixtures.note, action: .update,
            changes: [.set(VisitNote.Field.text, .string("edit \(replica)#\(counter)"))], context: VersionVector(),
            timestamp: HLCTimestamp(wallMillis: millis), deviceTime: millis,
            author: Fixtures.worker("w-\(replica)"), device: Fixtures.device(replica))
    }

    /// Applies each operation, then each again, and checks what the record reports.
    static func check(_ operations: [Operation], sourceLocation: SourceLocation = #_sourceLocation) throws -> RecordState {
        var state = CareState()
        for operation in operations {
            #expect(try state.apply(operation) == .applied, "\(operation.id)", sourceLocation: sourceLocation)
        }
        for operation in operations {
            #expect(try state.apply(operation) == .duplicate, "\(operation.id)", sourceLocation: sourceLocation)
        }
        let record = try #require(state[Fixtures.note], sourceLocation: sourceLocation)
        #expect(record.operationCount == operations.count, sourceLocation: sourceLocation)
        for operation in operations {
            #expect(record.hasApplied(operation.id), "\(operation.id)", sourceLocation: sourceLocation)
        }
        return record
    }

    @Test("replicas arriving in descending order renumber the dots before them")
    func newReplicasMoveEarlierDots() throws {
        // Each new replica sorts first, so every dot already held moves up one place.
        let operations = (1...6).reversed().flatMap { replica in
            [Self.edit(by: replica, counter: 3), Self.edit(by: replica, counter: 9), Self.edit(by: replica, counter: 5)]
        }
        let record = try Self.check(operations)
        for replica in 1...7 as ClosedRange<UInt64> {
            for counter in [1, 4, 6, 10] as [UInt64] {
                #expect(!record.hasApplied(Dot(replica: Fixtures.replica(replica), counter: counter)))
            }
        }
        #expect(!record.hasApplied(Dot(replica: Fixtures.replica(7), counter: 3)))
        #expect(record.version.count == 6)
    }

    @Test("counters too large to pack switch to whole dots, and nothing is lost")
    func largeCountersKeepEveryDot() throws {
        let large: UInt64 = 1 << 48
        var operations = [
            Self.edit(by: 2, counter: 7), Self.edit(by: 1, counter: 4), Self.edit(by: 3, counter: large - 1),
            Self.edit(by: 1, counter: large + 5), Self.edit(by: 2, counter: 2), Self.edit(by: 4, counter: 1),
        ]
        operations.append(Self.edit(by: 1, counter: UInt64.max))
        let record = try Self.check(operations)
        // The counter below the large one, the same low bits, and the other replicas' counters are not seen.
        #expect(!record.hasApplied(Dot(replica: Fixtures.replica(1), counter: large + 4)))
        #expect(!record.hasApplied(Dot(replica: Fixtures.replica(1), counter: 5)))
        #expect(!record.hasApplied(Dot(replica: Fixtures.replica(2), counter: large + 5)))
        #expect(!record.hasApplied(Dot(replica: Fixtures.replica(3), counter: large)))
    }

    @Test("the same operations in any order give equal records, packed or not")
    func orderDoesNotChangeTheRecord() throws {
        let packed = [
            Self.edit(by: 5, counter: 2), Self.edit(by: 1, counter: 8), Self.edit(by: 3, counter: 1),
            Self.edit(by: 1, counter: 3), Self.edit(by: 5, counter: 11), Self.edit(by: 2, counter: 6),
        ]
        let wide = packed + [Self.edit(by: 4, counter: 1 << 50)]
        for operations in [packed, wide] {
            let inOrder = try Self.check(operations)
            var rng = SplitMix64(seed: 7)
            for _ in 0..<20 {
                let shuffled = try Self.check(operations.shuffled(using: &rng))
                #expect(shuffled == inOrder)
                #expect(shuffled.hashValue == inOrder.hashValue)
            }
        }
    }
}
