import CareModel
import CareServer
import Foundation
import Testing

/// `caresync device …` end to end: the built executable against a real
/// server, as the README's walkthrough uses it.
@Suite("caresync device command line", .serialized)
struct DeviceCommandTests {
    /// Runs `caresync` and expects exit status 0; returns its output.
    static func succeed(_ cli: CareSyncCommandLine, _ arguments: [String]) async throws -> String {
        let outcome = try await cli.run(arguments)
        #expect(outcome.status == 0, "caresync \(arguments.joined(separator: " ")) failed: \(outcome.errors)")
        return outcome.output
    }

    /// The one word after `prefix` in `text` (an id the command printed).
    static func word(after prefix: String, in text: String) throws -> String {
        guard let range = text.range(of: prefix) else { throw CommandLineError.unexpectedOutput(text) }
        return String(text[range.upperBound...].prefix { !$0.isWhitespace })
    }

    @Test("the walkthrough: admin, enrol, plan, sync, check in, note, report, sync, status; the office sees it all")
    func walkthrough() async throws {
        let cli = try CareSyncCommandLine.built()
        try await TestDirectory.with { directory in
            let database = directory.path("server.sqlite")
            try await ClientTestServer.run(databasePath: database) { server in
                let admin = { (command: [String]) in ["admin"] + command + ["--database", database] }
                _ = try await Self.succeed(cli, admin(["create-worker", "coord-1", "--role", "coordinator", "--team", "north"]))
                _ = try await Self.succeed(cli, admin(["create-worker", "worker-a", "--role", "care_worker", "--team", "north"]))
                let office = ["--store", directory.path("office.sqlite")]
                let phone = ["--store", directory.path("phone.sqlite")]
                for (worker, store, role) in [("coord-1", office, "coordinator"), ("worker-a", phone, "care_worker")] {
                    let issued = try await Self.succeed(cli, admin(["enrolment-code", worker]))
                    let code = try Self.word(after: "enrolment code for \(worker): ", in: issued)
                    let enrolled = try await Self.succeed(
                        cli,
                        ["device", "enrol"] + store + [
                            "--server", server.baseURL.absoluteString, "--code", code, "--role", role, "--team", "north",
                        ])
                    #expect(enrolled.contains("enrolled \(worker)"))
                }

                let planned = try await Self.succeed(
                    cli, ["device", "plan-visit"] + office + ["--resident", "resident-1", "--worker", "worker-a"])
                let visit = try Self.word(after: "planned visit ", in: planned)
                _ = try await Self.succeed(cli, ["device", "sync"] + office)
                _ = try await Self.succeed(cli, ["device", "sync"] + phone)
                #expect(try await Self.succeed(cli, ["device", "visits", "--all"] + phone).contains(visit))

                _ = try await Self.succeed(cli, ["device", "check-in", visit, "--method", "qr"] + phone)
                _ = try await Self.succeed(cli, ["device", "note", visit, "Had lunch; asked about her daughter."] + phone)
                _ = try await Self.succeed(
                    cli, ["device", "report-abuse", "--kind", "verbal", "--statement", "Shouted at me."] + phone)
                let pending = try await Self.succeed(cli, ["device", "status"] + phone)
                #expect(pending.contains("pending uploads: 3"))
                #expect(pending.contains("local_only"))
                let synced = try await Self.succeed(cli, ["device", "sync"] + phone)
                #expect(synced.contains("sync done"))
                let status = try await Self.succeed(cli, ["device", "status"] + phone)
                #expect(status.contains("pending uploads: 0"))
                #expect(!status.contains("local_only"))
                #expect(status.contains("abuse_report"))

                _ = try await Self.succeed(cli, ["device", "sync"] + office)
                let seen = try await Self.succeed(cli, ["device", "visit", visit] + office)
                #expect(seen.contains("check-in  worker-a"))
                #expect(seen.contains("Had lunch; asked about her daughter."))
                #expect(try await server.operationCount() == 4)
            }
        }
    }

    @Test("errors: a command before enrolment, an unknown visit and a used code exit 1 with their codes, changing nothing")
    func errors() async throws {
        let cli = try CareSyncCommandLine.built()
        try await TestDirectory.with { directory in
            let database = directory.path("server.sqlite")
            try await ClientTestServer.run(databasePath: database) { server in
                let phone = ["--store", directory.path("phone.sqlite")]
                let notEnrolled = try await cli.run(["device", "visits"] + phone)
                #expect(notEnrolled.status == 1)
                #expect(notEnrolled.errors.contains("not_enrolled"))
                #expect(!FileManager.default.fileExists(atPath: directory.path("phone.sqlite")))

                try await server.createWorker("worker-a", roles: [.careWorker], teams: ["north"])
                let code = try await server.enrolmentCode(for: "worker-a")
                let enrol = ["device", "enrol", "--server", server.baseURL.absoluteString, "--code", code]
                _ = try await Self.succeed(cli, enrol + phone)
                let reused = try await cli.run(enrol + ["--store", directory.path("other.sqlite")])
                #expect(reused.status == 1)
                #expect(reused.errors.contains("invalid_enrolment_code"))
                #expect(!FileManager.default.fileExists(atPath: directory.path("other.sqlite")))

                let unknown = try await cli.run(["device", "check-in", "0190a000-0000-7000-8000-000000000001"] + phone)
                #expect(unknown.status == 1)
                #expect(unknown.errors.contains("record_not_found"))
                #expect(try await Self.succeed(cli, ["device", "status"] + phone).contains("pending uploads: 0"))
            }
        }
    }
}
