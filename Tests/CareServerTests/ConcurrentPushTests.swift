import CareAudit
import CareModel
import CareServer
import Testing

/// Many pushes at once on one server: on either backend they are stored in
/// groups (one transaction each, see `GroupCommit` and the backends'
/// `ingest`), and each push gets its own answer. With the push
/// gate narrower than the devices, most pushes wait their turn at it.
@Suite("Concurrent pushes")
struct ConcurrentPushTests {
    @Test(
        "pushes arriving together each get their own answers, are stored once, and leave one unbroken log",
        arguments: TestBackend.all, [16, 2])
    func pushesArrivingTogether(backend: TestBackend, concurrentPushes: Int) async throws {
        try await TestServer.run(backend, configure: { $0.maximumConcurrentPushes = concurrentPushes }) { server in
            var devices: [TestDevice] = []
            for index in 0..<8 {
                devices.append(try await server.enrol("coord-\(index)", roles: [.coordinator], teams: ["north"]))
            }
            // Per device: two good batches, a batch that skips a counter (refused,
            // operation by operation), and the second good batch again (duplicates).
            var pushes: [(device: TestDevice, request: PushRequest, expected: [OperationResult.Status])] = []
            var stored: Set<Dot> = []
            for var device in devices {
                for _ in 0..<2 {
                    let batch = try (0..<5).map { _ in try device.createVisit(team: "north", assigned: []).operation }
                    pushes.append((device, device.pushRequest(batch), Array(repeating: .stored, count: 5)))
                    stored.formUnion(batch.map(\.operation.id))
                }
                let skipped = device.unvalidated(
                    counter: device.replica.lastCounter + 2, record: RecordRef(kind: .visit, id: TestDevice.newRecordID()),
                    action: .create, changes: [.set(Visit.Field.team, "north")])
                pushes.append((device, device.pushRequest([skipped], after: .genesis), [.rejected]))
                pushes.append((device, pushes[pushes.count - 2].request, Array(repeating: .duplicate, count: 5)))
            }

            // A device's pushes go in order (the second batch follows the first);
            // the devices all push at once.
            let answered = try await withThrowingTaskGroup(of: Int.self) { group in
                for device in devices {
                    let own = pushes.filter { $0.device.enrolment.replica == device.enrolment.replica }
                    group.addTask {
                        for push in own {
                            let response = try await server.push(push.device, push.request)
                            #expect(response.statuses == push.expected, "\(push.device.worker)")
                        }
                        return own.count
                    }
                }
                return try await group.reduce(0, +)
            }
            #expect(answered == pushes.count)

            let auditor = try await server.enrol("auditor-1", roles: [.auditor])
            let log = try await server.pullAll(auditor)
            #expect(Set(log.operations.map(\.id)) == stored)
            #expect(log.operations.count == stored.count, "each operation is stored once")
            let report = try await AuditVerification.verify(StorageAuditSource(storage: server.storage))
            #expect(report.isIntact, "\(report.findings)")
            #expect(report.operations == stored.count)
        }
    }
}
