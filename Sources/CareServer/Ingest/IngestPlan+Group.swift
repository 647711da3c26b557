import CareModel

extension IngestPlan {
    /// The rows of `plans`, planned in this order in one transaction (see
    /// ``IngestGroupSnapshot``), as one plan that writes them all at once and
    /// leaves the tables as writing each plan in turn would: the first
    /// signature, grant and quarantine entry of a key is kept (as the tables'
    /// conflict rules keep the first row), and the schedule index and report
    /// deadline changes are merged by the rules the tables' conflict clauses
    /// apply. Results and receipts stay with each plan and are left out.
    init(writing plans: [IngestPlan]) {
        self.init()
        var signed: Set<Dot> = []
        var granted: Set<VisitGrant.Key> = []
        var quarantinedKeys: Set<QuarantineKey> = []
        for plan in plans {
            operations.append(contentsOf: plan.operations)
            newRecords.append(contentsOf: plan.newRecords)
            signatures.append(
                contentsOf: plan.signatures.filter {
                    signed.insert(Dot(replica: $0.replica, counter: $0.counter)).inserted
                })
            grants.append(contentsOf: plan.grants.filter { granted.insert($0.key).inserted })
            quarantined.append(
                contentsOf: plan.quarantined.filter {
                    quarantinedKeys.insert(QuarantineKey(id: $0.id, digest: $0.digest)).inserted
                })
            workflowIndex.merge(plan.workflowIndex)
        }
    }

    /// A quarantine row's key: the same operation pushed again adds no row.
    private struct QuarantineKey: Hashable {
        var id: Dot
        var digest: [UInt8]
    }
}
