import CareModel
import CareServer
import Foundation
import Hummingbird
import Testing

@Suite("Rejected operations are quarantined for review, never discarded")
struct QuarantineTests {
    /// Lists the quarantine as the device with `token` (or, with `admin`, through the admin API).
    static func list(_ server: TestServer, token: String, admin: Bool = false) async throws -> QuarantineListing {
        let result = try await server.request(.get, admin ? "/v1/admin/quarantine" : "/v1/quarantine", token: token)
        guard result.status == .ok else { throw TestServerError.unexpectedStatus(result.status, result.text) }
        return try result.decode(QuarantineListing.self)
    }

    @Test("a mixed batch stores the good and quarantines each bad one with its code; a retry adds no row", arguments: TestBackend.all)
    func mixedBatch(backend: TestBackend) async throws {
        try await TestServer.run(backend) { server in
            let auditor = try await server.enrol("auditor-1", roles: [.auditor])
            var office = try await server.enrol("coord-1", roles: [.coordinator], teams: ["north"])
            let (visit, plan) = try office.createVisit(team: "north", assigned: ["worker-a"])
            let reassign = try office.assign(visit, to: ["worker-b"])
            let foreign = try office.createVisit(team: "south", assigned: []).operation
            let later = try office.createVisit(team: "north", assigned: []).operation
            let response = try await server.push(office, [plan, reassign, foreign, later])
            #expect(response.statuses == [.stored, .stored, .rejected, .rejected])
            #expect(try await server.counts().operations == 2)

            let listing = try await Self.list(server, token: auditor.token)
            #expect(listing.entries.map(\.code) == ["access_denied", "preceding_rejected"])
            #expect(listing.entries.map(\.counter) == [3, 4])
            #expect(listing.entries.map(\.operation) == [foreign.operation, later.operation])
            let first = try #require(listing.entries.first)
            #expect(first.replica == office.enrolment.replica)
            #expect(first.device == office.enrolment.device)
            #expect(first.worker == office.worker)
            #expect(first.record == foreign.operation.record)
            #expect(first.team == TeamID("south"))
            #expect(first.receivedAt == 1_767_225_600_000)
            #expect(!first.message.isEmpty)
            #expect(listing.hasMore == false)

            // The same batch again, and the bad tail alone: no new row.
            server.clock.advance(seconds: 60)
            _ = try await server.push(office, [plan, reassign, foreign, later])
            _ = try await server.push(office, office.pushRequest([foreign.operation, later.operation], after: reassign.hash))
            #expect(try await Self.list(server, token: auditor.token).entries.count == 2)
            // A different operation under a refused id is kept too (what each push claimed).
            var altered = foreign.operation
            altered.changes[0] = .set(Visit.Field.resident, "resident-2")
            _ = try await server.push(office, office.pushRequest([altered], after: reassign.hash))
            let after = try await Self.list(server, token: auditor.token)
            #expect(after.entries.map(\.counter) == [3, 4, 3])
            #expect(after.entries[2].receivedAt == 1_767_225_660_000)
        }
    }

    @Test("abuse reports only to safeguarding leads and auditors, team records to the team's coordinators, admins metadata only", arguments: TestBackend.all)
    func visibility(backend: TestBackend) async throws {
        try await TestServer.run(backend) { server in
            let auditor = try await server.enrol("auditor-1", roles: [.auditor])
            let lead = try await server.enrol("lead-1", roles: [.safeguardingLead])
            let south = try await server.enrol("coord-2", roles: [.coordinator], teams: ["south"])
            var north = try await server.enrol("coord-1", roles: [.coordinator], teams: ["north"])
            let worker = try await server.enrol("worker-a", roles: [.careWorker], teams: ["north"])

            let (visit, plan) = try north.createVisit(team: "north", assigned: ["worker-a"])
            try await server.push(north, [plan])
            let badUpdate = north.unvalidated(
                record: RecordRef(kind: .visit, id: visit), changes: [.set("no_such_field", "x")])
            #expect(try await server.push(north, north.pushRequest([badUpdate], after: plan.hash)).statuses == [.rejected])
            let badReport = worker.unvalidated(
                record: RecordRef(kind: .abuseReport, id: TestDevice.newRecordID()), action: .create,
                changes: [.set(AbuseReport.Field.severity, 99)])
            #expect(try await server.push(worker, worker.pushRequest([badReport], after: .genesis)).statuses == [.rejected])

            #expect(try await Self.list(server, token: auditor.token).entries.map(\.record.kind) == [.visit, .abuseReport])
            let leadView = try await Self.list(server, token: lead.token).entries
            #expect(leadView.map(\.record.kind) == [.abuseReport])
            #expect(leadView.first?.operation == badReport)
            #expect(try await Self.list(server, token: north.token).entries.map(\.operation) == [badUpdate])
            #expect(try await Self.list(server, token: south.token).entries.isEmpty)

            let refused = try await server.request(.get, "/v1/quarantine", token: worker.token)
            #expect(refused.status == .forbidden)
            #expect(refused.errorCode == "quarantine_forbidden")

            let adminView = try await Self.list(server, token: TestServer.adminToken, admin: true).entries
            #expect(adminView.map(\.record) == [badUpdate.record])
            #expect(adminView.allSatisfy { $0.operation == nil })
            #expect(try await server.request(.get, "/v1/admin/quarantine", token: worker.token).status == .unauthorized)
        }
    }

    @Test("the listing pages with after and limit", arguments: TestBackend.all)
    func paging(backend: TestBackend) async throws {
        try await TestServer.run(backend) { server in
            let auditor = try await server.enrol("auditor-1", roles: [.auditor])
            var office = try await server.enrol("coord-1", roles: [.coordinator], teams: ["north"])
            let operations = try (0..<5).map { _ in try office.createVisit(team: "south", assigned: []).operation }
            _ = try await server.push(office, operations)
            var seen: [UInt64] = []
            var cursor: Int64 = 0
            while true {
                let result = try await server.request(.get, "/v1/quarantine?after=\(cursor)&limit=2", token: auditor.token)
                let page = try result.decode(QuarantineListing.self)
                seen += page.entries.map(\.counter)
                cursor = page.nextCursor
                if !page.hasMore { break }
            }
            #expect(seen == [1, 2, 3, 4, 5])
            let bad = try await server.request(.get, "/v1/quarantine?limit=0", token: auditor.token)
            #expect(bad.status == .badRequest)
            #expect(bad.errorCode == "invalid_parameter")
        }
    }
}
