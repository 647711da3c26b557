import ArgumentParser
import CareModel
import Crypto
import Foundation

/// `tools/bench model`: how fast the common model reduces and seals operations,
/// and how large causal contexts grow.
struct ModelBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model", abstract: "CareModel: reduce and encode+hash throughput, causal context sizes.")

    @Option(help: "Repetitions of each timing; the median is reported (five: runs on this kind of machine spread by a third).")
    var runs = 5

    @Option(help: "Records in the care-round workload (10 operations each).")
    var records = 10_000

    @Flag(help: "Skip the reference workload (for profiling the care round alone).")
    var skipReference = false

    /// One part of the benchmark, for profiling it alone.
    enum Part: String, ExpressibleByArgument, CaseIterable {
        case reduce, seal, decode
    }

    @Option(help: "Run only this part of the care round (reduce, seal or decode), many times, for a profiler.")
    var only: Part?

    /// Automerge's merge of the reference workload, measured on this kind of
    /// machine (shared/WORKLOAD.md): 50,000 operations in 0.23 s.
    static let automergeMergeSeconds = 0.23

    func run() async throws {
        var report = BenchReport("model")
        let round = try CareRoundWorkload(records: records)
        let operations = round.operations.map(\.operation)
        report.note("workload: \(operations.count) ops over \(records) records, 210 replicas (care round, seed 2026)")
        if let only {
            try profile(only, operations)
            return
        }

        var sink = 0
        // States are kept until after the timing: the figure is the time to
        // build a state, not to build and free it.
        var states: [CareState] = []
        let inOrder = try medianSeconds(runs: runs) { states.append(try CareState(reducing: operations)) }
        report.add("reduce_ops_per_s", Double(operations.count) / inOrder, "reduce, in log order", unit: "ops/s", digits: 0)
        var rng = SplitMix64(seed: 1)
        let shuffled = operations.shuffled(using: &rng)
        let anyOrder = try medianSeconds(runs: runs) { states.append(try CareState(reducing: shuffled)) }
        // What a change to the reducer must leave as it was: the canonical
        // state's digest (the same before and after a pass means the same bytes).
        report.note("canonical state SHA-256 (log order): \(SHA256.hash(data: states[0].canonicalBytes()).map { String(format: "%02x", $0) }.joined())")
        sink &+= states.count
        states.removeAll()
        report.add("reduce_shuffled_ops_per_s", Double(operations.count) / anyOrder, "reduce, shuffled", unit: "ops/s", digits: 0)

        var head = OperationHash.genesis
        var sealingTimes: [Double] = []
        for _ in 0..<runs {
            var handedOver = Self.handOver(operations)
            sealingTimes.append(measure { head = Self.seal(&handedOver) })
        }
        let sealing = sealingTimes.median
        report.note("chain head hash: \(head)")
        report.add("encode_hash_ops_per_s", Double(operations.count) / sealing, "encode + SHA-256", unit: "ops/s", digits: 0)

        let bodies = try Self.pushBodies(operations)
        let decoding = try medianSeconds(runs: runs) { sink &+= try Self.decode(bodies) }
        report.add("decode_ops_per_s", Double(operations.count) / decoding, "wire JSON decode (push bodies of 1,000)", unit: "ops/s", digits: 0)

        let sizes = operations.map(\.context.count).sorted()
        report.add("context_median_entries", sizes[sizes.count / 2], "causal context, median", unit: "entries")
        report.add("context_p99_entries", sizes[sizes.count * 99 / 100], "causal context, p99", unit: "entries")
        report.add("context_max_entries", sizes.last ?? 0, "causal context, max", unit: "entries")

        guard !skipReference else {
            report.finish()
            return
        }
        let reference = try ReferenceWorkload()
        let all = reference.allOperations.map(\.operation)
        let deviceOperations = reference.devices.flatMap { $0 }
        report.note("reference workload (shared/WORKLOAD.md): 50 devices x 1,000 ops on 500 visits, + 500 planning ops")
        var mergedStates: [CareState] = []
        let merge = try medianSeconds(runs: runs) { mergedStates.append(try CareState(reducing: all)) }
        let merged = mergedStates[0]
        report.add("reference_merge_s", merge, "reference merge of all devices", unit: "s", digits: 3)
        report.add(
            "reference_merge_vs_automerge", Self.automergeMergeSeconds / merge,
            "  speed-up over Automerge's 0.23 s", unit: "x", digits: 1)
        let rawBytes = deviceOperations.reduce(0) { $0 + $1.canonicalBytes.count }
        report.add(
            "reference_raw_bytes_per_op", Double(rawBytes) / Double(deviceOperations.count),
            "reference canonical JSON per op (uncompressed; Automerge logs 174, plain JSON 178)", unit: "B", digits: 1)
        report.add("reference_state_bytes", merged.canonicalBytes().count, "reference merged state (canonical)", unit: "B")
        let referenceSizes = deviceOperations.map(\.operation.context.count).sorted()
        report.add("reference_context_max_entries", referenceSizes.last ?? 0, "reference causal context, max", unit: "entries")
        report.note("(sink \(sink % 2))")
        report.finish()
    }

    /// Repeats one part ten times, so that a profiler attached to the whole
    /// process sees mostly that part rather than the workload's generation.
    private func profile(_ part: Part, _ operations: [CareModel.Operation]) throws {
        var sink = 0
        let bodies = part == .decode ? try Self.pushBodies(operations) : []
        var states: [CareState] = []
        // Only the part itself is on the clock, as in the timed runs: not the
        // copy that hands operations over to be sealed.
        var nanoseconds: UInt64 = 0
        let before = threadCPUSplitNanoseconds()
        for _ in 0..<10 {
            var handedOver = part == .seal ? Self.handOver(operations) : []
            let started = threadCPUNanoseconds()
            switch part {
            case .reduce:
                states.append(try CareState(reducing: operations))
            case .decode:
                sink &+= try Self.decode(bodies)
            case .seal:
                sink &+= Int(Self.seal(&handedOver).bytes[0])
            }
            nanoseconds += threadCPUNanoseconds() - started
        }
        let after = threadCPUSplitNanoseconds()
        func perOperation(_ nanoseconds: UInt64) -> String {
            String(format: "%.0f", Double(nanoseconds) / Double(10 * operations.count))
        }
        sink &+= states.count
        // The split includes the hand-over copies of `seal`, which the total leaves out.
        print(
            "\(part): \(perOperation(nanoseconds)) ns of CPU per op"
                + " (user \(perOperation(after.user - before.user)), system \(perOperation(after.system - before.system)); sink \(sink % 2))")
    }

    /// The operations as a caller hands them over to be sealed, last first:
    /// a device seals the operation it has just written, the server one it
    /// has just decoded, each moved into its sealed form. The copy is made
    /// before the clock starts: sealing a borrowed operation would also time
    /// a copy of it (a retain of each of its arrays and strings, and a
    /// release after), which no caller pays.
    private static func handOver(_ operations: [CareModel.Operation]) -> [CareModel.Operation] {
        Array(operations.reversed())
    }

    /// Seals every operation of `handedOver` in a chain, taking each out of
    /// the array; returns the chain's head.
    private static func seal(_ handedOver: inout [CareModel.Operation]) -> OperationHash {
        var previous = OperationHash.genesis
        while let operation = handedOver.popLast() {
            previous = ChainedOperation(operation, after: previous).hash
        }
        return previous
    }

    /// The operations as the JSON bodies of pushes of 1,000 (one replica per
    /// push is not needed to measure decoding).
    private static func pushBodies(_ operations: [CareModel.Operation]) throws -> [[UInt8]] {
        let encoder = JSONEncoder()
        return try stride(from: 0, to: operations.count, by: 1_000).map { start in
            let batch = Array(operations[start..<min(start + 1_000, operations.count)])
            return Array(try encoder.encode(PushRequest(replica: batch[0].id.replica, operations: batch)))
        }
    }

    /// Decodes each body as the server does; returns the operations decoded.
    private static func decode(_ bodies: [[UInt8]]) throws -> Int {
        try bodies.reduce(0) { count, body in
            count + (try body.withUnsafeBytes { try PushRequest(json: $0) }).operations.count
        }
    }
}
