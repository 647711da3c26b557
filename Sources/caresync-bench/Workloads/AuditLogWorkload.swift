import CareModel
import CareServer
import Foundation
import GRDB

/// A server database holding a large signed log, written straight into the
/// SQLite file in one transaction (rows as ingest would write them: replica
/// and server hash chains, a signature per batch), not over HTTP.
///
/// Devices take turns pushing batches of visit creates and ~200-byte notes,
/// as coordinators' devices would.
enum AuditLogWorkload {
    /// Creates the database at `path` with `operations` operations from `devices` devices.
    static func generate(path: String, operations: Int, devices count: Int, batchSize: Int) async throws {
        let storage = try SQLiteSyncStorage(path: path)
        try await storage.saveWorker(Worker(id: WorkerID("bench-coordinator")!, roles: [.coordinator], teams: [TeamID("bench")!]))
        try await storage.close()

        let signer = ChainHeadSigner()
        let words = ["tea", "lunch", "walk", "medication", "taken", "cheerful", "tired", "garden", "family", "called"]
        let queue = try DatabaseQueue(path: path)
        try await queue.write { db in
            var generator = SplitMix64(seed: 2026)
            var devices = (0..<count).map { _ in
                LocalReplica(
                    replica: ReplicaID(uuid: .version7(unixMillis: 1_767_225_600_000, using: &generator)),
                    device: DeviceID(uuid: .version7(unixMillis: 1_767_225_600_000, using: &generator)),
                    author: WorkerID("bench-coordinator")!)
            }
            for (index, device) in devices.enumerated() {
                try db.execute(
                    sql: """
                        INSERT INTO devices (id, worker, replica, public_key, token_hash, enrolled_at, expires_at)
                        VALUES (?, 'bench-coordinator', ?, ?, ?, 0, 9000000000000)
                        """,
                    arguments: [
                        device.device.description, device.replica.description, signer.publicKeyBase64,
                        Data(repeating: UInt8(index % 256), count: 31) + Data([UInt8(index / 256)]),
                    ])
            }
            let insert = try db.makeStatement(
                sql: """
                    INSERT INTO operations (sequence, replica, counter, kind, record, author, device, visit, team,
                        owner, received_at, hash, server_hash, body)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'bench', 'bench-coordinator', ?, ?, ?, ?)
                    """)
            let sign = try db.makeStatement(
                sql: "INSERT INTO chain_signatures (replica, counter, head, signature, received_at) VALUES (?, ?, ?, ?, ?)")
            var sequence: UInt64 = 0
            var serverHash = ServerLogChain.genesis
            var time: Int64 = 1_767_225_600_000
            var visit = RecordID(uuid: .version7(unixMillis: time, using: &generator))
            while sequence < UInt64(operations) {
                let index = Int(sequence / UInt64(batchSize)) % devices.count
                time += 10
                var last: ChainedOperation?
                for position in 0..<min(batchSize, operations - Int(sequence)) {
                    let operation: ChainedOperation
                    if position % 2 == 0 {
                        visit = RecordID(uuid: .version7(unixMillis: time, using: &generator))
                        operation = try devices[index].write(
                            RecordRef(kind: .visit, id: visit), .create,
                            [
                                .set(Visit.Field.resident, .string("resident-\(position % 65)")),
                                .set(Visit.Field.team, "bench"),
                                .set(Visit.Field.assignedWorkers, [.string("worker-\(position % 40)")]),
                                .set(Visit.Field.scheduledStart, .int(time + 3_600_000)),
                                .set(Visit.Field.scheduledEnd, .int(time + 5_400_000)),
                            ], context: VersionVector(), physicalMillis: time)
                    } else {
                        var text = ""
                        while text.utf8.count < 200 { text += words[Int(generator.next() % UInt64(words.count))] + " " }
                        operation = try devices[index].write(
                            RecordRef(kind: .visitNote, id: RecordID(uuid: .version7(unixMillis: time, using: &generator))),
                            .create,
                            [.set(VisitNote.Field.visit, .string(visit.description)), .set(VisitNote.Field.text, .string(text))],
                            context: VersionVector(), physicalMillis: time)
                    }
                    sequence += 1
                    serverHash = ServerLogChain.link(
                        previous: serverHash, operationHash: operation.hash, sequence: sequence, receivedAt: time)
                    let record = operation.operation.record
                    try insert.execute(arguments: [
                        Int64(sequence), devices[index].replica.description, Int64(operation.operation.id.counter),
                        record.kind.rawValue, record.id.description, "bench-coordinator",
                        devices[index].device.description, visit.description, time, Data(operation.hash.bytes),
                        Data(serverHash), Data(operation.canonicalBytes),
                    ])
                    last = operation
                }
                if let last {
                    let signature = signer.sign(
                        replica: devices[index].replica, counter: last.operation.id.counter, head: last.hash)
                    try sign.execute(arguments: [
                        devices[index].replica.description, Int64(signature.counter), Data(last.hash.bytes),
                        signature.signature, time,
                    ])
                }
            }
        }
        try queue.close()
    }
}
