import CareModel
import PropertyBased
import Testing

/// The guarantees of DESIGN.md, checked on thousands of generated histories.
/// Each case is built from one seed; a failure prints it (and PropertyBased's
/// `.fixedSeed`) so the exact history can be replayed.
@Suite("Convergence properties")
struct ConvergenceProperties {
    static let seeds = Gen.uint64(in: UInt64.min...UInt64.max)

    @Test("Any permutation of the ops, with duplicates, gives byte-identical state")
    func permutationsConverge() async {
        await propertyCheck(count: 1_500, input: Self.seeds) { seed in
            var history = HistoryGenerator(seed: seed)
            history.run(steps: 40)
            var rng = SplitMix64(seed: seed ^ 0xDEAD_BEEF)
            let reference = try CareState(reducing: history.log).canonicalBytes()
            for _ in 0..<3 {
                var shuffled = history.log + history.log.filter { _ in Bool.random(using: &rng) }
                shuffled.shuffle(using: &rng)
                expectSameState(try CareState(reducing: shuffled).canonicalBytes(), reference, "seed \(seed)")
            }
        }
    }

    @Test("Each replica's incremental state equals reducing the whole set once all have synced")
    func incrementalEqualsBatch() async {
        await propertyCheck(count: 1_000, input: Self.seeds) { seed in
            var history = HistoryGenerator(seed: seed)
            history.run(steps: 40)
            history.syncAll()
            let reference = try CareState(reducing: history.log).canonicalBytes()
            for replica in history.replicas {
                expectSameState(replica.state.canonicalBytes(), reference, "seed \(seed)")
            }
        }
    }

    @Test("Siblings are exactly the writes no other write has seen (naive oracle)")
    func siblingsMatchOracle() async {
        await propertyCheck(count: 1_000, input: Self.seeds) { seed in
            var history = HistoryGenerator(seed: seed)
            history.run(steps: 40)
            let state = try CareState(reducing: history.log.reversed())
            for record in history.records {
                guard let recordState = state[record], let schema = RecordSchema.of(record.kind) else { continue }
                for field in schema.fields {
                    guard case .multiValue = field.merge else { continue }
                    let writes = history.log.filter { $0.record == record }.flatMap { operation in
                        operation.changes.filter { $0.field == field.name }.map { _ in operation }
                    }
                    let maximal = writes.filter { candidate in
                        !writes.contains { $0.context.contains(candidate.id) }
                    }
                    let siblings: [Dot]
                    if case .register(let register) = recordState.fields[field.name] {
                        siblings = register.siblings.map(\.dot)
                    } else {
                        siblings = []
                    }
                    #expect(Set(siblings) == Set(maximal.map(\.id)), "seed \(seed), field \(field.name)")
                }
            }
        }
    }

    @Test("A write that has seen a conflict resolves it")
    func resolvingWriteClearsConflict() async {
        await propertyCheck(count: 1_000, input: Self.seeds) { seed in
            var history = HistoryGenerator(seed: seed)
            history.run(steps: 40)
            history.syncAll()
            var replica = history.replicas[0]
            for record in history.records {
                guard let recordState = replica.state[record], recordState.isCreated else { continue }
                for field in recordState.conflictedFields {
                    let winner = recordState[field]!
                    _ = try replica.writer.write(record, .update, [.set(field, winner)], into: &replica.state)
                }
                #expect(replica.state[record]!.conflictedFields.isEmpty, "seed \(seed)")
            }
        }
    }

    @Test("Every note text ever written stays reachable: current value, sibling, history or amendment")
    func noTypedTextIsLost() async {
        await propertyCheck(count: 1_000, input: Self.seeds) { seed in
            var history = HistoryGenerator(seed: seed)
            history.run(steps: 40)
            let state = try CareState(reducing: history.log.shuffled())
            for operation in history.log where operation.record.kind == .visitNote {
                guard let note = state[operation.record] else {
                    Issue.record("seed \(seed): note missing")
                    continue
                }
                for change in operation.changes {
                    let typed: Value
                    switch change.field {
                    case VisitNote.Field.text: typed = change.value
                    case VisitNote.Field.amendments: typed = change.value["text"]!
                    default: continue
                    }
                    #expect(Self.reachableTexts(note).contains(typed), "seed \(seed)")
                }
            }
        }
    }

    private static func reachableTexts(_ note: RecordState) -> Set<Value> {
        var texts: Set<Value> = []
        if case .register(let register) = note.fields[VisitNote.Field.text] {
            texts.formUnion((register.siblings + register.history).map(\.value))
        }
        if case .log(let log) = note.fields[VisitNote.Field.amendments] {
            texts.formUnion(log.entries.compactMap { $0.write.value["text"] })
        }
        return texts
    }
}

/// The properties above mean little unless the generated histories are really
/// concurrent; this checks that they are.
@Suite("History generator")
struct HistoryGeneratorTests {
    @Test("generated histories contain conflicts, concurrent appends and stale replicas")
    func historiesAreConcurrent() throws {
        var conflicted = 0
        var divergent = 0
        for seed in 0..<200 as Range<UInt64> {
            var history = HistoryGenerator(seed: seed)
            history.run(steps: 40)
            let merged = try CareState(reducing: history.log)
            conflicted += merged.records.values.filter { !$0.conflictedFields.isEmpty }.count
            let states = Set(history.replicas.map { $0.state.canonicalBytes() })
            if states.count > 1 { divergent += 1 }
        }
        #expect(conflicted > 50)
        #expect(divergent > 150)
    }
}
