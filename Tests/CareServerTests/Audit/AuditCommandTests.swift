import CareAudit
import CareSyncTestSupport
import Foundation
import Testing

/// The built `caresync audit` command, run as a process on the scenario's
/// database: exit status and the located message are what scripts rely on.
@Suite("caresync audit command")
struct AuditCommandTests {
    /// The `caresync` executable built beside the test binary (`swift build
    /// --build-tests` builds it), else this checkout's `.build/debug/caresync`.
    static let binary: String = {
        let testBinary = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]
        let beside = URL(fileURLWithPath: testBinary).deletingLastPathComponent().appendingPathComponent("caresync")
        if FileManager.default.isExecutableFile(atPath: beside.path) { return beside.path }
        return URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build/debug/caresync").path
    }()

    @Test("verify exits 0 on an intact log and 1 naming the tampered operation; export and replay agree")
    func verifyExitStatus() async throws {
        try await TestServer.run(.sqlite) { server in
            let scenario = try await AuditScenario.run(on: server)
            let copies = try DatabaseCopies(of: server)
            let intact = try copies.copy("cli-intact")
            let ok = try await Self.run(["audit", "verify", "--database", intact])
            #expect(ok.status == 0, "\(ok.output)")
            #expect(ok.output.hasPrefix("intact"))

            let tampered = try copies.copy("cli-tampered") { db in
                try db.execute(sql: "UPDATE operations SET received_at = received_at + 1 WHERE sequence = 8")
            }
            let refused = try await Self.run(["audit", "verify", "--database", tampered])
            #expect(refused.status == 1)
            #expect(refused.output.contains("NOT INTACT"))
            #expect(refused.output.contains("sequence 8: the server hash is not the link"))
            #expect(refused.output.contains("[server_hash_mismatch]"))
            let json = try await Self.run(["audit", "verify", "--database", tampered, "--json"])
            #expect(json.status == 1)
            #expect(json.output.contains(#""sequence" : 8"#))

            let exportPath = copies.directory.appendingPathComponent("cli-export.ndjson").path
            let export = try await Self.run(["audit", "export", "--database", intact, "--output", exportPath])
            #expect(export.status == 0, "\(export.output)")
            #expect(try await Self.run(["audit", "verify", "--export", exportPath]).status == 0)
            let replayDatabase = try await Self.run(["audit", "replay", "--database", intact, "--sequence", "4", "--json"])
            let replayExport = try await Self.run(["audit", "replay", "--export", exportPath, "--sequence", "4", "--json"])
            #expect(replayDatabase.status == 0)
            #expect(replayDatabase.output == replayExport.output)
            #expect(replayDatabase.output.contains(#""lastSequence" : 4"#))

            let history = try await Self.run(["audit", "history", scenario.visit1.description, "--database", intact])
            #expect(history.status == 0)
            let stranger = "019b76da-a800-7aa6-ac6d-3b3130a62453"
            for format in [[], ["--json"]] {
                let unknown = try await ChildProcess.run(
                    Self.binary, ["audit", "history", stranger, "--database", intact] + format)
                #expect(unknown.termination.status == 2, "\(format)")
                #expect(unknown.errors.hasPrefix("Error: unknown_record: "), "\(unknown.errors)")
            }
            #expect(history.output.contains("visit \(scenario.visit1): 5 operation(s)"))
            #expect(history.output.contains("field assigned_workers (multi_value_with_history)"))
        }
    }

    @Test("verify refuses a file that is not a server database, with its code, and writes nothing to it")
    func verifyRefusesAnEmptyFile() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("caresync-audit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let backup = directory.appendingPathComponent("backup.sqlite").path
        #expect(FileManager.default.createFile(atPath: backup, contents: Data()))
        let outcome = try await ChildProcess.run(Self.binary, ["audit", "verify", "--database", backup])
        #expect(outcome.termination.status == 2, "could not check: not 1, which is NOT INTACT")
        #expect(outcome.errors.hasPrefix("Error: not_a_caresync_database: "), "\(outcome.errors)")
        #expect(!outcome.output.contains("intact"))
        let size = try FileManager.default.attributesOfItem(atPath: backup)[.size] as? Int
        #expect(size == 0, "no schema created in the auditor's file")
    }

    @Test("an export replaces its output only once complete: a source it cannot read, or its own input, leaves the file whole")
    func exportOutputWholeOrNotAtAll() async throws {
        try await TestServer.run(.sqlite) { server in
            _ = try await AuditScenario.run(on: server)
            let copies = try DatabaseCopies(of: server)
            let database = try copies.copy("cli-output")
            let evidence = copies.directory.appendingPathComponent("evidence.ndjson").path
            #expect(try await Self.run(["audit", "export", "--database", database, "--output", evidence]).status == 0)
            let kept = try Data(contentsOf: URL(fileURLWithPath: evidence))

            let missing = try await Self.run(
                ["audit", "export", "--database", evidence + ".nowhere.sqlite", "--output", evidence])
            #expect(missing.status == 2)
            #expect(try Data(contentsOf: URL(fileURLWithPath: evidence)) == kept)
            let nowhere = copies.directory.appendingPathComponent("no-such-folder/out.ndjson").path
            let unwritable = try await ChildProcess.run(
                Self.binary, ["audit", "export", "--database", database, "--output", nowhere])
            #expect(unwritable.termination.status == 2)
            #expect(unwritable.errors.hasPrefix("Error: cannot_write_output: "), "\(unwritable.errors)")

            // Its own input, filtered: read whole before it is replaced.
            let notes = try await Self.run(
                ["audit", "export", "--export", evidence, "--kind", "visit_note", "--output", evidence])
            #expect(notes.status == 0, "\(notes.output)")
            let filtered = try ExportFileSource(path: evidence)
            #expect(try await filtered.entries(after: 0, limit: 100).map(\.log.sequence) == [4, 9])
            let report = try await AuditVerification.verify(filtered)
            #expect(report.isIntact, "\(report.findings)")
            #expect(!FileManager.default.fileExists(atPath: evidence + ".partial"))
        }
    }

    @Test(
        "verify, replay and history work on a PostgreSQL database by URL",
        .enabled(if: TestBackend.all.contains(.postgres)))
    func postgresDatabase() async throws {
        try await TestServer.run(.postgres) { server in
            let scenario = try await AuditScenario.run(on: server)
            let url = server.configuration.databasePath
            let verify = try await Self.run(["audit", "verify", "--database", url])
            #expect(verify.status == 0, "\(verify.output)")
            #expect(verify.output.hasPrefix("intact"))
            let replay = try await Self.run(["audit", "replay", "--database", url, "--sequence", "4", "--json"])
            #expect(replay.status == 0, "\(replay.output)")
            #expect(replay.output.contains(#""lastSequence" : 4"#))
            let history = try await Self.run(["audit", "history", scenario.visit1.description, "--database", url])
            #expect(history.output.contains("visit \(scenario.visit1): 5 operation(s)"))
        }
    }

    /// Runs the binary; returns its exit status and standard output.
    static func run(_ arguments: [String]) async throws -> (status: Int32, output: String) {
        let outcome = try await ChildProcess.run(binary, arguments)
        return (outcome.termination.status, outcome.output)
    }
}
