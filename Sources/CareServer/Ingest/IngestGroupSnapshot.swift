import CareModel

/// What a whole group of batches (``GroupCommit``) needs from the server, read
/// once at the start of the group's transaction, then advanced in memory past
/// each batch's plan: ``snapshot(for:)`` gives each batch exactly what a
/// snapshot read in the same transaction after the batches before it were
/// written would hold (the log head and the replica's head after theirs, the
/// records they created, the visits they assigned the worker to, the
/// operations they stored for the same replica).
///
/// So a backend whose every read under the ingest lock is a round trip
/// (PostgreSQL) reads once per group instead of once per batch. The read must
/// cover every batch: each one's replica head and stored counters
/// (``IngestBatch/snapshotCounters``), the records any batch references, and
/// the visit access of any batch's worker to any of those visits.
struct IngestGroupSnapshot: Sendable {
    /// Each replica's last stored counter and its hash; absent when nothing is stored.
    var replicaHeads: [ReplicaID: (counter: UInt64, hash: OperationHash)] = [:]
    /// Stored operations by replica and counter (at least those the batches need).
    var stored: [ReplicaID: [UInt64: IngestSnapshot.StoredOperation]] = [:]
    /// Index entries of records (at least those the batches reference).
    var records: [RecordRef: RecordEntry] = [:]
    /// Who is or was assigned to which visit (at least for the batches' workers
    /// and the visits of their records).
    var access: Set<VisitGrant.Key> = []
    /// The last entry of the server log.
    var logHead = LogHead.empty

    /// What `batch`'s planner reads, as its own snapshot would read it now.
    func snapshot(for batch: IngestBatch) -> IngestSnapshot {
        let counters = batch.snapshotCounters
        let batchStored = (stored[batch.replica] ?? [:]).filter { counters.contains($0.key) }
        var batchRecords: [RecordRef: RecordEntry] = [:]
        for ref in batch.referencedRecords {
            if let entry = records[ref] { batchRecords[ref] = entry }
        }
        // The visits of the records found, and those the batch itself writes
        // (a create may assign the worker), as the per-batch read looks them up.
        var visits = Set(batchRecords.values.compactMap(\.visit))
        for operation in batch.operations where operation.record.kind == .visit {
            visits.insert(operation.record.id)
        }
        let assigned = visits.filter { access.contains(VisitGrant.Key(visit: $0, worker: batch.worker.id)) }
        return IngestSnapshot(
            replicaHead: replicaHeads[batch.replica], stored: batchStored, records: batchRecords,
            assignedVisits: assigned, logHead: logHead)
    }

    /// Moves past `plan` as if it were written: what it stores, creates and grants.
    mutating func advance(past plan: IngestPlan) {
        for row in plan.operations {
            stored[row.id.replica, default: [:]][row.id.counter] = IngestSnapshot.StoredOperation(
                hash: row.hash, sequence: row.sequence, receivedAt: row.receivedAt)
            replicaHeads[row.id.replica] = (row.id.counter, row.hash)
            logHead = LogHead(sequence: row.sequence, serverHash: row.serverHash)
        }
        for entry in plan.newRecords {
            records[entry.ref] = entry
        }
        for grant in plan.grants {
            access.insert(grant.key)
        }
    }

    /// Plans each batch in turn, each from the snapshot the ones before it leave.
    mutating func plan(_ group: [PendingIngest]) -> [IngestPlan] {
        group.map { pending in
            let plan = pending.planner.plan(pending.batch, snapshot: snapshot(for: pending.batch))
            advance(past: plan)
            return plan
        }
    }
}
