import CareModel
import Testing

/// Every error code the model gives, each from an operation that breaks one rule.
@Suite("Operation validation")
struct ValidationTests {
    static func operation(
        _ record: RecordRef = Fixtures.visit, _ action: Action = .update, changes: [Change],
        counter: UInt64 = 5, context: VersionVector = VersionVector(), wallMillis: Int64 = Fixtures.start
    ) -> Operation {
        Operation(
            id: Dot(replica: Fixtures.replica(1), counter: counter), record: record, action: action,
            changes: changes, context: context, timestamp: HLCTimestamp(wallMillis: wallMillis),
            deviceTime: wallMillis, author: Fixtures.worker("w-ana"), device: Fixtures.device(1))
    }

    static let cases: [(String, Operation, CareModelError.Code)] = [
        ("counter 0", operation(changes: [Fixtures.checkIn()], counter: 0), .invalidCounter),
        ("context claims itself", operation(changes: [Fixtures.checkIn()], context: VersionVector([Fixtures.replica(1): 5])), .invalidContext),
        ("unknown kind", operation(RecordRef(kind: RecordKind(rawValue: "invoice"), id: Fixtures.record(9)), changes: [Fixtures.checkIn()]), .unknownRecordKind),
        ("unknown field", operation(changes: [.set("colour", "red")]), .unknownField),
        ("wrong type", operation(changes: [.set(Visit.Field.cancelled, "yes")]), .invalidValue),
        ("value not allowed", operation(changes: [.set(Visit.Field.workerStatus, "asleep")]), .invalidValue),
        ("object member missing", operation(changes: [.append(Visit.Field.checkIns, ["method": "nfc"])]), .invalidValue),
        ("object member unknown", operation(changes: [.append(Visit.Field.checkIns, ["time": .int(Fixtures.start), "method": "nfc", "mood": "good"])]), .invalidValue),
        ("text too long", operation(Fixtures.note, changes: [.set(VisitNote.Field.text, .string(String(repeating: "x", count: 64 * 1024 + 1)))]), .valueTooLarge),
        ("edit an immutable field", operation(changes: [.set(Visit.Field.resident, "r-2")]), .immutableField),
        ("set an append-only field", operation(changes: [.set(Visit.Field.checkIns, [])]), .appendOnlyField),
        ("append to a register", operation(changes: [.append(Visit.Field.cancelled, true)]), .notAppendable),
        ("field set twice", operation(changes: [.set(Visit.Field.cancelled, true), .set(Visit.Field.cancelled, false)]), .duplicateField),
        ("create without required fields", operation(Fixtures.visit, .create, changes: [.set(Visit.Field.resident, "r-1")]), .missingRequiredField),
        ("no changes", operation(changes: []), .emptyChanges),
        ("too many changes", operation(changes: Array(repeating: Fixtures.checkIn(), count: 65)), .tooManyChanges),
        ("delete a visit", operation(Fixtures.visit, .delete, changes: [Fixtures.checkIn()]), .deletionForbidden),
        ("delete an abuse report", operation(Fixtures.report, .delete, changes: [.set(AbuseReport.Field.severity, 1)]), .abuseReportDeletion),
        ("timestamp out of range", operation(changes: [Fixtures.checkIn(at: 12)]), .invalidTimestamp),
        ("HLC out of range", operation(changes: [Fixtures.checkIn()], wallMillis: -1), .invalidTimestamp),
        ("clearing a required field", operation(changes: [.set(Visit.Field.scheduledStart, nil)]), .invalidValue),
    ]

    @Test("each broken rule has its own stable code", arguments: cases)
    func rejected(name: String, operation: Operation, code: CareModelError.Code) {
        do {
            try OperationValidator.validate(operation)
            Issue.record("\(name): accepted")
        } catch {
            #expect(error.code == code, "\(name)")
            #expect(!error.message.isEmpty)
        }
    }

    @Test("an invalid operation leaves the state unchanged")
    func invalidChangesNothing() throws {
        var writer = Fixtures.writer(1, "c-olu")
        var state = CareState()
        _ = try writer.write(Fixtures.visit, .create, Fixtures.planVisit(), into: &state)
        let before = state.canonicalBytes()
        #expect(throws: CareModelError.self) {
            try state.apply(Self.operation(changes: [.set(Visit.Field.cancelled, "maybe")]))
        }
        #expect(state.canonicalBytes() == before)
        #expect(writer.lastCounter == 1)
    }

    @Test("an optional register may be cleared with null")
    func clearOptionalRegister() throws {
        try OperationValidator.validate(Self.operation(changes: [.set(Visit.Field.riskFlag, nil)]))
    }

    @Test("error messages name the rule and field, never the value written")
    func messagesLeakNoContent() {
        let secret = "Mrs Jones said her son hit her"
        let operation = Self.operation(changes: [.set(Visit.Field.workerStatus, .string(secret))])
        do {
            try OperationValidator.validate(operation)
        } catch {
            #expect(!error.description.contains(secret))
            #expect(error.field == Visit.Field.workerStatus)
        }
    }
}
