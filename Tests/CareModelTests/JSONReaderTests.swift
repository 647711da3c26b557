import CareModel
import Foundation
import PropertyBased
import Testing

/// The fast JSON reader must read exactly what `JSONDecoder` reads (the
/// `Codable` conformances stay the reference), and refuse bad input with the
/// right kind of error and path.
@Suite("JSON reader")
struct JSONReaderTests {
    @Test("Generated operations read back equal, from JSONEncoder's output and from canonical bytes")
    func operationsRoundTrip() async {
        await propertyCheck(count: 300, input: Gen.uint64(in: UInt64.min...UInt64.max)) { seed in
            var history = HistoryGenerator(seed: seed)
            history.run(steps: 20)
            guard let first = history.log.first else { return }
            let encoder = JSONEncoder()
            for operation in history.log {
                #expect(try Operation(json: Array(encoder.encode(operation))) == operation, "seed \(seed)")
                #expect(try Operation(json: operation.canonicalBytes) == operation, "seed \(seed)")
            }
            let push = PushRequest(
                replica: first.id.replica, operations: history.log, head: .genesis,
                signature: ChainHeadSignature(counter: 3, signature: "c2lnbmVk"))
            let pushBytes = try JSONEncoder().encode(push)
            #expect(try pushBytes.withUnsafeBytes { try PushRequest(json: $0) } == push, "seed \(seed)")
            let sync = SyncRequest(push: push, after: seed >> 1, limit: 500)
            let syncBytes = try JSONEncoder().encode(sync)
            #expect(try syncBytes.withUnsafeBytes { try SyncRequest(json: $0) } == sync, "seed \(seed)")
        }
    }

    @Test("A push response written directly reads back equal through JSONDecoder and the fast reader")
    func pushResponseRoundTrip() throws {
        var generator = SplitMix64(seed: 7)
        let replica = ReplicaID(uuid: .version7(unixMillis: 1_767_225_600_000, using: &generator))
        let results = [
            OperationResult(id: Dot(replica: replica, counter: 1), status: .duplicate, sequence: 40),
            OperationResult(id: Dot(replica: replica, counter: 2), status: .stored, sequence: 41),
            OperationResult(
                id: Dot(replica: replica, counter: 3), status: .rejected,
                error: ErrorBody(code: "access_denied", message: "a \"care_worker\" may not set a/b\n", field: "changes[0]")),
            OperationResult(
                id: Dot(replica: replica, counter: 4), status: .rejected,
                error: ErrorBody(code: "preceding_rejected", message: "operation 3 was rejected")),
        ]
        let entries = [
            ReceiptEntry(replica: replica, counter: 1, hash: .genesis, sequence: 40, receivedAt: 1_767_225_600_000),
            ReceiptEntry(replica: replica, counter: 2, hash: .genesis, sequence: 41, receivedAt: -5),
        ]
        for response in [
            PushResponse(results: results, receipts: ReceiptBatch(entries: entries, signature: "c2lnbmVk")),
            PushResponse(results: results), PushResponse(results: []),
        ] {
            let written = response.jsonBytes()
            #expect(try JSONDecoder().decode(PushResponse.self, from: Data(written)) == response)
            #expect(try written.withUnsafeBytes { try PushResponse(json: $0) } == response)
            let encoded = try JSONEncoder().encode(response)
            #expect(try encoded.withUnsafeBytes { try PushResponse(json: $0) } == response)
        }
    }

    /// Documents on which both readers must agree: the same value, or both refusing.
    static let corpus: [String] = [
        #"{"after":0}"#,
        #"{"after":18446744073709551615,"limit":null,"push":null}"#,
        #" { "after" : 7 , "limit" : 20 , "extra" : [1, {"x": [true, false, null]}, "s\u00e9"] } "#,
        #"{"after":-1}"#,
        #"{"after":18446744073709551616}"#,
        #"{"after":"7"}"#,
        #"{"after":07}"#,
        #"{"after":7"#,
        #"{"after":7} x"#,
        #"{after:7}"#,
        #"{"limit":5}"#,
        #"[]"#,
        #""#,
        #"{"after":7,"limit":1.5}"#,
        #"{"after":true}"#,
        #"{"\u0061fter":3}"#,
        #"{"after":3,"note":"\ud83d\ude42 tab\t \"quoted\" back\\slash \/"}"#,
    ]

    @Test("Refuses as malformed what RFC 8259 refuses and JSONDecoder lets through", arguments: [
        #"{"after":7,}"#,
        #"{"after":3,"note":"bad \x escape"}"#,
        "{\"after\":3,\"note\":\"raw\ttab\"}",
        #"{"after":3,"note":"lone \ud83d surrogate"}"#,
    ])
    func stricterThanJSONDecoder(document: String) {
        let error = #expect(throws: JSONReadError.self) {
            try Array(document.utf8).withUnsafeBytes { try SyncRequest(json: $0) }
        }
        #expect(error?.kind == .malformed)
    }

    @Test("Reads a sync body exactly as JSONDecoder does, or refuses it as JSONDecoder does", arguments: corpus)
    func agreesWithJSONDecoder(document: String) throws {
        let bytes = Array(document.utf8)
        let expected = try? JSONDecoder().decode(SyncRequest.self, from: Data(bytes))
        let actual = try? bytes.withUnsafeBytes { try SyncRequest(json: $0) }
        #expect(actual == expected)
    }

    @Test("Floats are refused where JSONDecoder would round them: CareSync has no floating point")
    func refusesFloats() throws {
        let error = #expect(throws: JSONReadError.self) {
            try Array(#"{"after":1.0}"#.utf8).withUnsafeBytes { try SyncRequest(json: $0) }
        }
        #expect(error?.kind == .typeMismatch)
        #expect(error?.field == "after")
    }

    @Test("Errors say what is wrong and where", arguments: [
        (#"{"replica":"#, JSONReadError.Kind.malformed, nil),
        (#"{"replica":42,"operations":[]}"#, .typeMismatch, "replica"),
        (#"{"replica":"not-a-uuid","operations":[]}"#, .invalidValue, "replica"),
        (#"{"operations":[]}"#, .missingMember, "replica"),
        (#"{"replica":"0190a8f2-0000-7000-8000-000000000001","operations":[{"id":{"r":"0190a8f2-0000-7000-8000-000000000001"}}]}"#,
         .missingMember, "operations[0].id.c"),
        (#"{"replica":"0190a8f2-0000-7000-8000-000000000001","operations":[{"record":{"kind":"spaceship","id":"0190a8f2-0000-7000-8000-000000000001"}}]}"#,
         .invalidValue, "operations[0].record.kind"),
        (#"{"replica":"0190a8f2-0000-7000-8000-000000000001","operations":[{"changes":[{"f":"x","k":"set","v":1e3}]}]}"#,
         .typeMismatch, "operations[0].changes[0].v"),
    ] as [(String, JSONReadError.Kind, String?)])
    func locatesErrors(document: String, kind: JSONReadError.Kind, field: String?) {
        let error = #expect(throws: JSONReadError.self) {
            try Array(document.utf8).withUnsafeBytes { try PushRequest(json: $0) }
        }
        #expect(error?.kind == kind)
        #expect(error?.field == field)
    }

    @Test("Nesting beyond the reader's own limit is malformed, not a stack overflow")
    func boundsDepth() {
        let document = #"{"after":1,"x":"# + String(repeating: "[", count: 100_000)
        let error = #expect(throws: JSONReadError.self) {
            try Array(document.utf8).withUnsafeBytes { try SyncRequest(json: $0) }
        }
        #expect(error?.kind == .malformed)
    }
}
