import CareModel
import Testing

@Suite("Local replica")
struct LocalReplicaTests {
    @Test("counters run 1, 2, 3 with no gaps, each operation chained to the one before")
    func countersAndChain() throws {
        var writer = Fixtures.writer(1, "w-ana")
        var previous = OperationHash.genesis
        for expected in 1...5 as ClosedRange<UInt64> {
            let chained = try writer.write(
                Fixtures.note, expected == 1 ? .create : .update,
                expected == 1 ? Fixtures.newNote(text: "a") : [.set(VisitNote.Field.text, .string("v\(expected)"))],
                context: VersionVector(), physicalMillis: Fixtures.start)
            #expect(chained.operation.id.counter == expected)
            #expect(chained.previous == previous)
            previous = chained.hash
        }
        #expect(writer.head == previous && writer.lastCounter == 5)
    }

    @Test("an invalid write uses up no counter and leaves the chain as it was")
    func invalidWriteChangesNothing() throws {
        var writer = Fixtures.writer(1, "w-ana")
        _ = try writer.write(Fixtures.note, .create, Fixtures.newNote(text: "a"), context: VersionVector(), physicalMillis: Fixtures.start)
        let before = writer
        #expect(throws: CareModelError.self) {
            _ = try writer.write(Fixtures.note, .update, [.set("nonsense", 1)], context: VersionVector(), physicalMillis: Fixtures.start)
        }
        #expect(writer == before)
    }

    @Test("the device's own clock reading is kept as captured, even when it went backwards")
    func deviceTimeKept() throws {
        var writer = Fixtures.writer(1, "w-ana")
        let first = try writer.write(Fixtures.note, .create, Fixtures.newNote(text: "a"), context: VersionVector(), physicalMillis: Fixtures.start)
        let second = try writer.write(Fixtures.note, .update, [.set(VisitNote.Field.text, "b")], context: VersionVector(), physicalMillis: Fixtures.start - 3_600_000)
        #expect(second.operation.deviceTime == Fixtures.start - 3_600_000)
        #expect(second.operation.timestamp > first.operation.timestamp)
    }
}
