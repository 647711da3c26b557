import CareModel
import CareSyncTestSupport
import Foundation
import Testing

/// `Schema/operation.schema.json` is the contract for non-Swift clients. These
/// tests check it is what the record schemas generate, and run a real JSON
/// Schema validator (Python's jsonschema) over what the Swift encoder writes.
@Suite("Operation JSON schema")
struct OperationSchemaTests {
    static let schemaPath = "Schema/operation.schema.json"

    @Test("the checked-in schema is the one generated from the record schemas")
    func schemaIsCurrent() throws {
        let url = RepositoryFiles.url(Self.schemaPath)
        if RepositoryFiles.recording {
            var writer = CanonicalJSONWriter()
            writer.value(OperationJSONSchema.document())
            try Data(writer.bytes).write(to: url)
        }
        let checkedIn = try JSONDecoder().decode(Value.self, from: Data(contentsOf: url))
        #expect(checkedIn == OperationJSONSchema.document())
    }

    @Test("every operation the Swift encoder writes is valid against the schema")
    func encoderOutputIsValid() throws {
        var history = HistoryGenerator(seed: 7)
        history.run(steps: 300)
        var lines = history.log.map { String(decoding: $0.canonicalBytes, as: UTF8.self) }
        lines += try history.log.prefix(20).map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
        let verdicts = try Self.validate(lines)
        #expect(verdicts.count == lines.count)
        for (line, verdict) in zip(lines, verdicts) {
            #expect(verdict == "ok", "\(verdict): \(line)")
        }
    }

    @Test("the schema refuses what the model refuses")
    func invalidOperationsAreRefused() throws {
        let good = String(decoding: try CanonicalEncodingTests.goldenChain()[1].canonicalBytes, as: UTF8.self)
        let broken = [
            good.replacingOccurrences(of: #""action":"update""#, with: #""action":"erase""#),
            good.replacingOccurrences(of: #""c":2"#, with: #""c":0"#),
            good.replacingOccurrences(of: #""k":"append""#, with: #""k":"set""#),
            good.replacingOccurrences(of: #""method":"nfc""#, with: #""method":"psychic""#),
            good.replacingOccurrences(of: #""kind":"visit""#, with: #""kind":"invoice""#),
            good.replacingOccurrences(of: #""deviceTime":"#, with: #""deviceTime":1.5,"x":"#),
            good.replacingOccurrences(of: #""author":"w-ana""#, with: #""author":"w ana""#),
            good.replacingOccurrences(of: #""f":"check_ins""#, with: #""f":"check_inz""#),
        ]
        for line in broken { #expect(line != good) }
        let verdicts = try Self.validate(broken)
        #expect(verdicts.count == broken.count)
        for (line, verdict) in zip(broken, verdicts) {
            #expect(verdict.hasPrefix("invalid"), "accepted: \(line)")
        }
    }

    /// Runs tools/validate-json-schema.py over `lines`; returns its verdicts.
    static func validate(_ lines: [String]) throws -> [String] {
        let input = FileManager.default.temporaryDirectory.appendingPathComponent("ops-\(UUID().uuidString).ndjson")
        try (lines.joined(separator: "\n") + "\n").write(to: input, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: input) }
        let child = try ChildProcess(
            executable: "/usr/bin/env",
            arguments: [
                "python3", RepositoryFiles.url("tools/validate-json-schema.py").path,
                RepositoryFiles.url(schemaPath).path, input.path,
            ],
            standardOutput: .pipe)
        let data = child.standardOutput!.readDataToEndOfFile()
        #expect(child.waitUntilExit() == .exited(0), "the validator could not run (is jsonschema installed?)")
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
    }
}
