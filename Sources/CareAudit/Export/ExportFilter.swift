public import CareModel

/// Which operations an export keeps. Empty keeps the whole log.
public struct ExportFilter: Codable, Sendable, Hashable {
    /// Received by the server at or after this time (Unix ms).
    public var from: Int64?
    /// Received before this time (Unix ms).
    public var to: Int64?
    /// Written by this worker.
    public var worker: WorkerID?
    /// On this resident's visits, and the notes, missed calls and abuse reports on those visits.
    public var resident: String?
    /// Of these record kinds.
    public var kinds: [RecordKind]?

    public init(
        from: Int64? = nil, to: Int64? = nil, worker: WorkerID? = nil, resident: String? = nil,
        kinds: [RecordKind]? = nil
    ) {
        self.from = from
        self.to = to
        self.worker = worker
        self.resident = resident
        self.kinds = kinds
    }

    /// Whether the filter keeps everything.
    public var keepsEverything: Bool { self == ExportFilter() }

    /// Whether deciding needs the decoded operation (not only the receive time).
    var needsOperation: Bool { worker != nil || resident != nil || kinds != nil }
}

/// Applies an ``ExportFilter`` to the log in sequence order. For a resident it
/// follows records: a visit whose create names the resident, then the notes,
/// missed calls and abuse reports created on such a visit.
struct ExportSelection {
    let filter: ExportFilter
    private var residentRecords: Set<RecordID> = []

    init(_ filter: ExportFilter) {
        self.filter = filter
    }

    mutating func keeps(receivedAt: Int64, operation: Operation?) -> Bool {
        // Records are followed from their create whenever it was received: a
        // visit planned before `from` is still the resident's visit after it,
        // and so are the notes and reports written on it.
        if let resident = filter.resident, let operation { noteResidentRecord(operation, resident: resident) }
        if let from = filter.from, receivedAt < from { return false }
        if let to = filter.to, receivedAt >= to { return false }
        guard let operation else { return true }
        if filter.resident != nil, !residentRecords.contains(operation.record.id) { return false }
        if let worker = filter.worker, operation.author != worker { return false }
        if let kinds = filter.kinds, !kinds.contains(operation.record.kind) { return false }
        return true
    }

    private mutating func noteResidentRecord(_ operation: Operation, resident: String) {
        guard operation.action == .create else { return }
        if operation.record.kind == .visit {
            if operation.value(of: Visit.Field.resident)?.stringValue == resident {
                residentRecords.insert(operation.record.id)
            }
        } else if let visit = operation.value(of: VisitNote.Field.visit)?.stringValue.flatMap(RecordID.init),
            residentRecords.contains(visit)
        {
            residentRecords.insert(operation.record.id)
        }
    }
}

extension Operation {
    /// The value this operation sets on `field`, if it sets it.
    func value(of field: String) -> Value? {
        changes.first { $0.field == field && $0.kind == .set }?.value
    }
}
