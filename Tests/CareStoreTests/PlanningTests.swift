import CareModel
import Foundation
import Testing

@testable import CareStore

/// A coordinator's device plans and reassigns its team's visits; nobody else can.
struct PlanningTests {
    let folder: TemporaryFolder

    init() throws { folder = try TemporaryFolder() }

    @Test("a coordinator plans a visit for its team and reassigns it; the plan is local until synced")
    func planAndReassign() async throws {
        let office = try await Fixture.open(folder, identity: Fixture.identity(WorkerID("coord-1")!, role: .coordinator))
        let receipt = try await office.planVisit(
            resident: "resident-1", assignedWorkers: [Fixture.worker], scheduledStart: Fixture.day,
            scheduledEnd: Fixture.day + 1_800_000, plannedTasks: ["meal"])
        var visit = try #require(try await office.visit(receipt.record.id))
        #expect(visit.summary.team == "team-a")
        #expect(visit.assignedWorkers == [Fixture.worker.rawValue])
        #expect(visit.plannedTasks == ["meal"])
        #expect(visit.summary.syncState == .localOnly)

        try await office.reassignVisit(receipt.record.id, to: [Fixture.otherWorker])
        visit = try #require(try await office.visit(receipt.record.id))
        #expect(visit.assignedWorkers == [Fixture.otherWorker.rawValue])
        #expect(visit.conflictedFields.isEmpty)
        #expect(try await office.pendingUploadCount() == 2)
    }

    @Test("refused, writing nothing: a care worker planning, no worker assigned, a window that ends before it starts")
    func refusals() async throws {
        let worker = try await Fixture.open(folder, "worker.sqlite")
        let denied = await #expect(throws: CareStoreError.self) {
            try await worker.planVisit(
                resident: "resident-1", assignedWorkers: [Fixture.worker], scheduledStart: Fixture.day,
                scheduledEnd: Fixture.day + 1_000)
        }
        #expect(denied?.code.rawValue == "access_denied")
        let office = try await Fixture.open(
            folder, "office.sqlite", identity: Fixture.identity(WorkerID("coord-1")!, role: .coordinator, replica: 0xB))
        for (workers, end) in [([WorkerID](), Fixture.day + 1_000), ([Fixture.worker], Fixture.day - 1_000)] {
            let error = await #expect(throws: CareStoreError.self) {
                try await office.planVisit(
                    resident: "resident-1", assignedWorkers: workers, scheduledStart: Fixture.day, scheduledEnd: end)
            }
            #expect(error?.code == .invalidArgument)
        }
        #expect(try await worker.pendingUploadCount() == 0)
        #expect(try await office.pendingUploadCount() == 0)
    }
}
