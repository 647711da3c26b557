import CareAudit
import CareModel
import CareServer
import Foundation
import GRDB
import Testing

/// Verification: an intact log verifies; each kind of tampering is detected and
/// located (sequence, device, replica, counter). See ``AuditScenario`` for the log.
@Suite("Audit verification and tampering")
struct TamperTests {
    @Test("the intact log verifies, from the database and from its export")
    func intact() async throws {
        try await TestServer.run(.sqlite) { server in
            _ = try await AuditScenario.run(on: server)
            let report = try await AuditVerification.verify(StorageAuditSource(storage: server.storage))
            #expect(report.isIntact, "\(report.findings)")
            #expect(report.operations == 10)
            #expect(report.replicas == 4)
            #expect(report.signaturesVerified == 6)
            #expect(report.unsignedOperations == 0)
            let export = try ExportFileSource(
                bytes: try await AuditScenario.export(StorageAuditSource(storage: server.storage)))
            #expect(try await AuditVerification.verify(export).isIntact)
        }
    }

    @Test("one changed byte in a stored operation is located")
    func changedByte() async throws {
        try await TestServer.run(.sqlite) { server in
            let scenario = try await AuditScenario.run(on: server)
            let copies = try DatabaseCopies(of: server)
            let path = try copies.copy("changed") { db in
                var body = try Data.fetchOne(db, sql: "SELECT body FROM operations WHERE sequence = 6")!
                let index = body.firstIndex(of: UInt8(ascii: "w"))!  // in "worker-a"
                body[index] = UInt8(ascii: "W")
                try db.execute(sql: "UPDATE operations SET body = ? WHERE sequence = 6", arguments: [body])
            }
            let report = try await AuditScenario.verify(databaseAt: path)
            #expect(report.findings.count == 1)
            let finding = try #require(report.findings.first)
            #expect(finding.code == .hashMismatch)
            #expect(finding.sequence == 6)
            #expect(finding.device == scenario.office.enrolment.device)
            #expect(finding.replica == scenario.office.enrolment.replica)
            #expect(finding.counter == 3)
        }
    }

    @Test("a deleted operation is located by the log's sequence gap and its replica's counter gap")
    func deletedOperation() async throws {
        try await TestServer.run(.sqlite) { server in
            let scenario = try await AuditScenario.run(on: server)
            let path = try DatabaseCopies(of: server).copy("deleted") { db in
                try db.execute(sql: "DELETE FROM operations WHERE sequence = 6")
            }
            let report = try await AuditScenario.verify(databaseAt: path)
            #expect(report.findings.map(\.code) == [.sequenceGap, .counterGap])
            #expect(report.findings.allSatisfy { $0.sequence == 7 })
            #expect(report.findings[0].message.contains("6…6"))
            #expect(report.findings[1].replica == scenario.office.enrolment.replica)
            #expect(report.findings[1].counter == 4)
            #expect(report.findings[1].message.contains("3…3"))
        }
    }

    @Test("the last signed operation of a replica, deleted, is located by its signature")
    func deletedSignedOperation() async throws {
        try await TestServer.run(.sqlite) { server in
            let scenario = try await AuditScenario.run(on: server)
            let path = try DatabaseCopies(of: server).copy("deleted-last") { db in
                try db.execute(sql: "DELETE FROM operations WHERE sequence = 10")
            }
            let report = try await AuditScenario.verify(databaseAt: path)
            let finding = try #require(report.findings.first)
            #expect(report.findings.count == 1)
            #expect(finding.code == .missingSignedOperation)
            #expect(finding.replica == scenario.workerA.enrolment.replica)
            #expect(finding.counter == 3)
        }
    }

    @Test("two swapped operations are located by the server chain")
    func swappedOperations() async throws {
        try await TestServer.run(.sqlite) { server in
            _ = try await AuditScenario.run(on: server)
            let path = try DatabaseCopies(of: server).copy("swapped") { db in
                try db.execute(sql: "UPDATE operations SET sequence = -1 WHERE sequence = 5")
                try db.execute(sql: "UPDATE operations SET sequence = 5 WHERE sequence = 6")
                try db.execute(sql: "UPDATE operations SET sequence = 6 WHERE sequence = -1")
            }
            let report = try await AuditScenario.verify(databaseAt: path)
            #expect(!report.isIntact)
            #expect(report.findings.first?.code == .serverHashMismatch)
            #expect(report.findings.first?.sequence == 5)
            #expect(report.findings.allSatisfy { $0.code == .serverHashMismatch && (5...7).contains($0.sequence ?? 0) })
        }
    }

    @Test("a replaced signature is located")
    func replacedSignature() async throws {
        try await TestServer.run(.sqlite) { server in
            let scenario = try await AuditScenario.run(on: server)
            let office = scenario.office.enrolment.replica.description
            let workerA = scenario.workerA.enrolment.replica.description
            let path = try DatabaseCopies(of: server).copy("signature") { db in
                try db.execute(
                    sql: """
                        UPDATE chain_signatures SET signature =
                            (SELECT signature FROM chain_signatures WHERE replica = ? AND counter = 2)
                        WHERE replica = ? AND counter = 4
                        """, arguments: [workerA, office])
            }
            let report = try await AuditScenario.verify(databaseAt: path)
            let finding = try #require(report.findings.first)
            #expect(report.findings.count == 1)
            #expect(finding.code == .badSignature)
            #expect(finding.sequence == 7)
            #expect(finding.device == scenario.office.enrolment.device)
            #expect(finding.counter == 4)
        }
    }

    @Test("a truncated export, and a changed byte in an export, are located")
    func damagedExport() async throws {
        try await TestServer.run(.sqlite) { server in
            _ = try await AuditScenario.run(on: server)
            let export = try await AuditScenario.export(StorageAuditSource(storage: server.storage))
            var lines = export.split(separator: UInt8(ascii: "\n")).map(Array.init)
            lines.removeLast()  // the end line
            lines[lines.count - 1] = Array(lines[lines.count - 1].prefix(80))  // sequence 10, cut mid-line
            let truncated = try ExportFileSource(bytes: Array(lines.joined(separator: [UInt8(ascii: "\n")])))
            let report = try await AuditVerification.verify(truncated)
            let finding = try #require(report.findings.first { $0.code == .truncatedExport })
            #expect(finding.sequence == 9)
            #expect(report.findings.contains { $0.code == .malformedExport })

            var text = String(decoding: export, as: UTF8.self)
            let note = try #require(text.range(of: "Had lunch"))
            text.replaceSubrange(note, with: "Had Lunch")
            let changed = try await AuditVerification.verify(try ExportFileSource(bytes: Array(text.utf8)))
            #expect(changed.findings.map(\.code) == [.hashMismatch])
            #expect(changed.findings.first?.sequence == 4)
        }
    }
}
