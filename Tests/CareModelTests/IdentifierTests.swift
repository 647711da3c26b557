import CareModel
import Testing

@Suite("Identifiers")
struct IdentifierTests {
    @Test("UUIDv7 carries its millisecond timestamp, version 7 and the RFC variant")
    func version7Layout() {
        var rng = SplitMix64(seed: 7)
        let uuid = UUIDValue.version7(unixMillis: Fixtures.start, using: &rng)
        #expect(uuid.version7Millis == Fixtures.start)
        #expect((uuid.high >> 12) & 0xF == 7)
        #expect(uuid.low >> 62 == 0b10)
        let text = uuid.description
        #expect(text.count == 36 && Array(text)[14] == "7")
    }

    @Test("UUIDv7s made later sort later")
    func version7Sorts() {
        var rng = SplitMix64(seed: 1)
        let earlier = UUIDValue.version7(unixMillis: Fixtures.start, using: &rng)
        let later = UUIDValue.version7(unixMillis: Fixtures.start + 1, using: &rng)
        #expect(earlier < later)
    }

    @Test("UUID text round-trips and is printed lowercase", arguments: [
        "0190a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2b", "0190A1B2-C3D4-7E5F-8A6B-7C8D9E0F1A2B",
    ])
    func uuidRoundTrip(text: String) {
        let uuid = UUIDValue(text)
        #expect(uuid?.description == text.lowercased())
    }

    @Test("malformed UUIDs are refused", arguments: [
        "", "0190a1b2c3d47e5f8a6b7c8d9e0f1a2b", "0190a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2", "0190a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2bb",
        "0190a1b2-c3d4-7e5f-8a6b_7c8d9e0f1a2b", "g190a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2b",
    ])
    func malformedUUID(text: String) {
        #expect(UUIDValue(text) == nil)
        #expect(RecordID(text) == nil)
    }

    @Test("name identifiers accept 1-64 characters of a safe alphabet", arguments: [
        ("w-123", true), ("ana.smith@team-north", true), ("", false), (String(repeating: "a", count: 65), false),
        ("has space", false), ("semi;colon", false), ("émile", false),
    ])
    func nameIdentifiers(text: String, valid: Bool) {
        #expect((WorkerID(text) != nil) == valid)
    }
}
