import CareModel
import Foundation
import PropertyBased
import Testing

/// The columns wire format gives back exactly the operations it was given, in
/// any order and mix of replicas, and refuses a damaged layout with the column named.
@Suite("Operation columns (the compact wire format)")
struct OperationColumnsTests {
    static func decoded<Message: Codable>(_ message: Message, format: WireFormat) throws -> Message {
        let encoder = JSONEncoder()
        encoder.userInfo[WireFormat.userInfoKey] = format
        let decoder = JSONDecoder()
        decoder.userInfo[WireFormat.userInfoKey] = format
        return try decoder.decode(Message.self, from: try encoder.encode(message))
    }

    @Test("generated histories, in server order and shuffled with duplicates, round-trip exactly")
    func roundTrip() async {
        await propertyCheck(count: 100, input: Gen.uint64(in: UInt64.min...UInt64.max)) { seed in
            var history = HistoryGenerator(seed: seed)
            history.run(steps: 60)
            var rng = SplitMix64(seed: seed ^ 0x5EED)
            var shuffled = history.log + history.log.filter { _ in Bool.random(using: &rng) }
            shuffled.shuffle(using: &rng)
            for operations in [history.log, shuffled] {
                let laidOut = try OperationColumns(operations).operations()
                #expect(laidOut == operations, "seed \(seed)")
                let page = PullResponse(operations: operations, nextCursor: 7, hasMore: true)
                let decoded = try Self.decoded(page, format: .columns)
                #expect(decoded == page, "seed \(seed)")
            }
        }
    }

    @Test("a push in columns decodes to the same push as plain JSON, and is smaller")
    func pushBothFormats() throws {
        var history = HistoryGenerator(seed: 11)
        history.run(steps: 80)
        let replica = history.log[0].id.replica
        let push = PushRequest(replica: replica, operations: history.log.filter { $0.id.replica == replica })
        #expect(try Self.decoded(push, format: .columns) == push)
        #expect(try Self.decoded(push, format: .json) == push)
        let encoder = JSONEncoder()
        let plain = try encoder.encode(push).count
        encoder.userInfo[WireFormat.userInfoKey] = WireFormat.columns
        #expect(try encoder.encode(push).count * 2 < plain)
    }

    @Test("a damaged layout is refused, naming the column", arguments: [
        ("counter", #"{"counter":[1,1]}"#),
        ("replica", #"{"replica":[9]}"#),
        ("action", #"{"action":[0]}"#),
        ("author", #"{"author":[0]}"#),
        ("changes", #"{"changes":[[1]]}"#),
        ("context", #"{"context":[[0]]}"#),
    ])
    func damaged(column: String, patch: String) throws {
        var history = HistoryGenerator(seed: 3)
        history.run(steps: 10)
        let operation = history.log[0]
        let encoded = try JSONEncoder().encode(OperationColumns([operation]))
        var object = try #require(JSONSerialization.jsonObject(with: encoded) as? [String: Any])
        let replacement = try #require(JSONSerialization.jsonObject(with: Data(patch.utf8)) as? [String: Any])
        object.merge(replacement) { _, new in new }
        let columns = try JSONDecoder().decode(OperationColumns.self, from: JSONSerialization.data(withJSONObject: object))
        #expect {
            _ = try columns.operations()
        } throws: { error in
            guard case .dataCorrupted(let context) = error as? DecodingError else { return false }
            return context.codingPath.first?.stringValue == column
        }
    }

    @Test("Content-Type and Accept headers name the format; anything else is plain JSON")
    func headers() {
        #expect(WireFormat(header: "application/vnd.caresync.columns+json") == .columns)
        #expect(WireFormat(header: "application/vnd.caresync.columns+json; charset=utf-8, application/json") == .columns)
        #expect(WireFormat(header: "application/json") == .json)
        #expect(WireFormat(header: nil) == .json)
        #expect(WireFormat(header: "*/*") == .json)
    }
}
