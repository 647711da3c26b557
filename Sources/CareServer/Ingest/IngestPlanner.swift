public import CareModel

/// Decides, for one batch and what the server already holds, what each pushed
/// operation gets (stored, duplicate, rejected) and what to write.
///
/// Pure: no I/O, no clock. Every storage backend reads an ``IngestSnapshot`` and
/// writes the resulting ``IngestPlan`` in one transaction, so the rules live here
/// once. Checks, in order, for each operation:
/// 1. already stored (counter ≤ the replica's last): same hash → duplicate,
///    different → `conflicting_duplicate`;
/// 2. an earlier operation of the batch was rejected → `preceding_rejected`;
/// 3. the batch's chain does not end at the device's `head` → `chain_mismatch`;
/// 4. counter is not last + 1 → `counter_gap`;
/// 5. canonical size → `operation_too_large`; schema (``OperationValidator``,
///    checked when the batch was made, outside the storage's lock);
/// 6. the record exists (updates) / its visit exists (new notes, missed calls);
/// 7. access policy for the worker's roles and relationship → `access_denied`.
public struct IngestPlanner: Sendable {
    public let policy: AccessPolicy
    public let maximumOperationBytes: Int

    public init(policy: AccessPolicy = .standard, maximumOperationBytes: Int) {
        self.policy = policy
        self.maximumOperationBytes = maximumOperationBytes
    }

    public func plan(_ batch: IngestBatch, snapshot: IngestSnapshot) -> IngestPlan {
        var plan = IngestPlan()
        var lastCounter = snapshot.replicaHead?.counter ?? 0
        var head = snapshot.replicaHead?.hash ?? .genesis
        var log = snapshot.logHead
        var records = snapshot.records
        var assigned = snapshot.assignedVisits
        var stored = snapshot.stored
        // Each new operation adds at most one of each: no resizing in the loop.
        records.reserveCapacity(records.count + batch.operations.count)
        stored.reserveCapacity(stored.count + batch.operations.count)
        var firstRejection: (id: Dot, code: CareModelError.Code)?
        let chain = batchChain(batch, snapshot: snapshot)
        let chainMismatch = headMismatch(batch, chain: chain, snapshot: snapshot)
        let resolver = RelationshipResolver(worker: batch.worker)

        for (index, operation) in batch.operations.enumerated() {
            let id = operation.id
            if id.counter >= 1, id.counter <= lastCounter {
                let result = duplicateResult(chain[index], stored: stored)
                plan.results.append(result)
                if result.status == .rejected {
                    if firstRejection == nil { firstRejection = (id, .conflictingDuplicate) }
                    plan.quarantined.append(quarantine(chain[index], result, batch, records: records))
                } else if let original = stored[id.counter] {
                    plan.receipts.append(
                        ReceiptEntry(
                            replica: id.replica, counter: id.counter, hash: original.hash, sequence: original.sequence,
                            receivedAt: original.receivedAt))
                }
                continue
            }
            let chained: ChainedOperation
            do throws(CareModelError) {
                if let firstRejection {
                    throw CareModelError(
                        .precedingRejected,
                        "operation \(firstRejection.id.counter) of this batch was rejected (\(firstRejection.code)); "
                            + "later operations of the replica wait for it")
                }
                if let chainMismatch { throw chainMismatch }
                guard id.counter == lastCounter + 1 else {
                    throw CareModelError(
                        .counterGap, "expected counter \(lastCounter + 1) for this replica, got \(id.counter)")
                }
                chained = chain[index].rechained(after: head)
                guard chained.canonicalBytes.count <= maximumOperationBytes else {
                    throw CareModelError(
                        .operationTooLarge, "an operation may take at most \(maximumOperationBytes) bytes")
                }
                if let schemaError = batch.schemaErrors[index] { throw schemaError }
                let relationship = try resolver.relationship(for: operation, records: records, assignedVisits: assigned)
                try authorize(operation, roles: batch.worker.roles, relationship: relationship)
            } catch {
                let result = OperationResult(id: id, status: .rejected, error: ErrorBody(error))
                plan.results.append(result)
                plan.quarantined.append(quarantine(chain[index], result, batch, records: records))
                if firstRejection == nil { firstRejection = (id, error.code) }
                continue
            }

            let sequence = log.sequence + 1
            let serverHash = ServerLogChain.link(
                previous: log.serverHash, operationHash: chained.hash, sequence: sequence,
                receivedAt: batch.receivedAt)
            let entry = records[operation.record] ?? newEntry(for: operation, records: records, sequence: sequence)
            if operation.action == .create {
                records[operation.record] = entry
                plan.newRecords.append(entry)
            }
            for worker in assignedWorkers(operation) {
                plan.grants.append(VisitGrant(visit: operation.record.id, worker: worker, grantedAt: sequence))
                if worker == batch.worker.id { assigned.insert(operation.record.id) }
            }
            plan.operations.append(
                OperationRow(
                    sequence: sequence, id: id, record: operation.record, author: operation.author,
                    device: operation.device, visit: entry.visit, team: entry.team, owner: entry.owner,
                    receivedAt: batch.receivedAt, hash: chained.hash, serverHash: serverHash,
                    body: chained.canonicalBytes))
            plan.workflowIndex.add(operation, visit: entry.visit, receivedAt: batch.receivedAt)
            plan.results.append(OperationResult(id: id, status: .stored, sequence: sequence))
            plan.receipts.append(
                ReceiptEntry(
                    replica: id.replica, counter: id.counter, hash: chained.hash, sequence: sequence,
                    receivedAt: batch.receivedAt))
            stored[id.counter] = IngestSnapshot.StoredOperation(
                hash: chained.hash, sequence: sequence, receivedAt: batch.receivedAt)
            lastCounter = id.counter
            head = chained.hash
            log = LogHead(sequence: sequence, serverHash: serverHash)
        }
        if let signature = keptSignature(batch, stored: stored) {
            plan.signatures.append(signature)
        }
        return plan
    }

    /// A rejected operation as the quarantine keeps it: with the record's team
    /// and visit as far as the server knows them (for who may review it).
    private func quarantine(
        _ chained: ChainedOperation, _ result: OperationResult, _ batch: IngestBatch,
        records: [RecordRef: RecordEntry]
    ) -> QuarantinedOperation {
        let operation = chained.operation
        let entry = records[operation.record] ?? newEntry(for: operation, records: records, sequence: 0)
        return QuarantinedOperation(
            id: operation.id, device: batch.device, worker: batch.worker.id, record: operation.record,
            visit: entry.visit, team: entry.team, code: result.error?.code ?? "rejected",
            message: result.error?.message ?? "", receivedAt: batch.receivedAt, body: chained.canonicalBytes)
    }

    /// The batch's signature, to keep when the operation it covers is stored (by
    /// this batch or before) with the hash the device signed as its head.
    private func keptSignature(
        _ batch: IngestBatch, stored: [UInt64: IngestSnapshot.StoredOperation]
    ) -> StoredChainSignature? {
        guard let signature = batch.signature, let head = batch.head, stored[signature.counter]?.hash == head
        else { return nil }
        return StoredChainSignature(
            replica: batch.replica, counter: signature.counter, head: head, signature: signature.signature,
            receivedAt: batch.receivedAt)
    }

    /// The batch sealed into a chain, each operation after the one before it and
    /// the first after the replica's stored predecessor (genesis for counter 1).
    /// The batch encoded and hashed its operations already (``IngestBatch/sealed``),
    /// after the predecessor it was given: here they are hashed again only when
    /// the stored predecessor is another. Where the batch does not run on from
    /// a stored predecessor the hashes are only placeholders and the counter
    /// checks refuse those operations.
    private func batchChain(_ batch: IngestBatch, snapshot: IngestSnapshot) -> [ChainedOperation] {
        guard let first = batch.operations.first?.id.counter else { return [] }
        var previous = first <= 1 ? OperationHash.genesis : snapshot.stored[first - 1]?.hash ?? .genesis
        return batch.sealed.map { sealed in
            let chained = sealed.rechained(after: previous)
            previous = chained.hash
            return chained
        }
    }

    /// An operation the replica already stored: a duplicate when its content
    /// hashes the same after the stored predecessor.
    private func duplicateResult(
        _ chained: ChainedOperation, stored: [UInt64: IngestSnapshot.StoredOperation]
    ) -> OperationResult {
        let id = chained.operation.id
        let previous = id.counter == 1 ? OperationHash.genesis : stored[id.counter - 1]?.hash
        guard let stored = stored[id.counter], let previous else {
            return OperationResult(
                id: id, status: .rejected,
                error: ErrorBody(CareModelError(.conflictingDuplicate, "the stored operation could not be read")))
        }
        let hash = chained.rechained(after: previous).hash
        guard hash == stored.hash else {
            return OperationResult(
                id: id, status: .rejected,
                error: ErrorBody(
                    CareModelError(
                        .conflictingDuplicate, "an operation with this id is already stored with different content")))
        }
        return OperationResult(id: id, status: .duplicate, sequence: stored.sequence)
    }

    /// When the device sent a head, the chain of the batch computed from the
    /// server's stored predecessor must end at it. Checked only for a batch whose
    /// counters run on without gaps from a stored (or genesis) predecessor; any
    /// other batch is refused by the counter checks anyway.
    private func headMismatch(
        _ batch: IngestBatch, chain: [ChainedOperation], snapshot: IngestSnapshot
    ) -> CareModelError? {
        guard let expected = batch.head, let first = chain.first?.operation.id.counter, first >= 1,
            first == 1 || snapshot.stored[first - 1] != nil
        else { return nil }
        for (offset, chained) in chain.enumerated() where chained.operation.id.counter != first + UInt64(offset) {
            return nil
        }
        guard let last = chain.last, last.hash != expected else { return nil }
        return CareModelError(
            .chainMismatch, "the chain of this batch ends at \(last.hash.hex) on the server, not at the head the device sent")
    }

    private func authorize(_ operation: Operation, roles: [Role], relationship: Relationship) throws(CareModelError) {
        var firstDenial = CareModelError(.accessDenied, "a worker with no role may not write care records")
        for (index, role) in roles.enumerated() {
            do throws(CareModelError) {
                try policy.authorize(operation, role: role, relationship: relationship)
                return
            } catch {
                if index == 0 { firstDenial = error }
            }
        }
        throw firstDenial
    }

    private func newEntry(for operation: Operation, records: [RecordRef: RecordEntry], sequence: UInt64) -> RecordEntry {
        switch operation.record.kind {
        case .visit:
            let team = operation.value(of: Visit.Field.team)?.stringValue.flatMap(TeamID.init)
            return RecordEntry(
                ref: operation.record, visit: operation.record.id, team: team, owner: operation.author,
                createdAt: sequence)
        case .visitNote, .missedCall:
            let visitRef = operation.createdVisitReference
            return RecordEntry(
                ref: operation.record, visit: visitRef?.id, team: visitRef.flatMap { records[$0]?.team },
                owner: operation.author, createdAt: sequence)
        default:
            return RecordEntry(ref: operation.record, visit: nil, team: nil, owner: operation.author, createdAt: sequence)
        }
    }

    /// The workers a visit operation assigns (its `assigned_workers` value).
    private func assignedWorkers(_ operation: Operation) -> [WorkerID] {
        guard operation.record.kind == .visit,
            let list = operation.value(of: Visit.Field.assignedWorkers)?.listValue
        else { return [] }
        return list.compactMap { $0.stringValue.flatMap(WorkerID.init) }
    }
}
