@testable import CareModel
import Testing

/// The reducer's compiled schemas only vouch for what the full validator
/// accepts, and vouch for the valid operations writers make (so that the fast
/// path is the one taken).
@Suite("Compiled schemas")
struct CompiledSchemaTests {
    static let schemas = RecordKind.all.map { CompiledSchema.of($0)! }

    @Test("each kind compiles to its own schema")
    func lookup() {
        for kind in RecordKind.all {
            #expect(CompiledSchema.of(kind)?.source.kind == kind)
            #expect(RecordSchema.of(kind)?.kind == kind)
        }
        #expect(CompiledSchema.of(RecordKind(rawValue: "invoice")) == nil)
        #expect(CompiledSchema.of(RecordKind(rawValue: "VISIT")) == nil)
    }

    @Test("a value the compiled check accepts passes the full check", arguments: 0..<8)
    func valuesSound(seed: UInt64) {
        var values = NearValidValues(seed: seed)
        var vouched = 0
        var refused = 0
        for schema in Self.schemas {
            for (position, field) in schema.source.fields.enumerated() {
                for _ in 0..<60 {
                    let value = values.value(for: field.type)
                    guard schema.types.accepts(value, as: schema.fields[position].type) else {
                        refused += 1
                        continue
                    }
                    vouched += 1
                    #expect(throws: Never.self, "seed \(seed), \(field.name): \(value)") {
                        try field.type.check(value, field: field.name)
                    }
                }
            }
        }
        // Both sides of the rules are exercised.
        #expect(vouched > 1_000 && refused > 500, "vouched \(vouched), refused \(refused)")
    }

    @Test("changes the compiled check accepts pass the full validator", arguments: 0..<8)
    func changesSound(seed: UInt64) {
        var values = NearValidValues(seed: seed)
        var vouched = 0
        for schema in Self.schemas {
            for _ in 0..<300 {
                let action: Action = Bool.random(using: &values.rng) ? .create : .update
                let changes = values.changes(for: schema.source)
                guard schema.accepts(changes, isCreate: action == .create) else { continue }
                vouched += 1
                let operation = ValidationTests.operation(
                    RecordRef(kind: schema.source.kind, id: Fixtures.record(1)), action, changes: changes)
                #expect(throws: Never.self, "seed \(seed): \(operation)") {
                    try OperationValidator.validate(operation)
                }
            }
        }
        #expect(vouched > 40, "vouched \(vouched)")
    }

    @Test("the compiled check refuses the changes of every invalid case of the validation tests")
    func invalidCasesRefused() {
        // The rules checked before the changes: the compiled check does not see them.
        let headerCodes: Set<CareModelError.Code> = [
            .invalidCounter, .invalidContext, .deletionForbidden, .abuseReportDeletion, .emptyChanges,
            .tooManyChanges, .invalidTimestamp,
        ]
        for (name, operation, code) in ValidationTests.cases {
            guard let schema = CompiledSchema.of(operation.record.kind),
                schema.accepts(operation.changes, isCreate: operation.action == .create)
            else { continue }
            #expect(headerCodes.contains(code), "\(name)")
        }
    }

    @Test("the reducer refuses each invalid case with the validator's exact error")
    func reducerErrors() {
        for (name, operation, _) in ValidationTests.cases {
            var state = CareState()
            let reduced = Result { () throws(CareModelError) in try state.apply(operation) }
            let validated = Result { () throws(CareModelError) in try OperationValidator.validate(operation) }
            guard case .failure(let error) = reduced, case .failure(let expected) = validated else {
                Issue.record("\(name): accepted")
                continue
            }
            #expect(error == expected && error.description == expected.description, "\(name)")
            #expect(state.records.isEmpty)
        }
    }

    @Test("the compiled check vouches for every operation of generated histories", arguments: 0..<4)
    func historiesVouched(seed: UInt64) {
        var generator = HistoryGenerator(seed: seed)
        generator.run(steps: 200)
        #expect(!generator.log.isEmpty)
        for operation in generator.log {
            let schema = CompiledSchema.of(operation.record.kind)!
            #expect(schema.accepts(operation.changes, isCreate: operation.action == .create), "\(operation)")
        }
    }
}

extension CompiledSchema {
    /// The compiled check, with a buffer for the fields' positions; when it
    /// vouches, each position must be the one the schema itself gives.
    func accepts(_ changes: [Change], isCreate: Bool) -> Bool {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(changes.count, 1)) { positions in
            guard accepts(changes, isCreate: isCreate, positions: positions) else { return false }
            for (index, change) in changes.enumerated() {
                #expect(Int(positions[index]) == source.position(of: change.field), "\(change.field)")
            }
            return true
        }
    }
}
