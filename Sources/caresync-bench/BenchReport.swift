import Foundation

/// Collects a benchmark's figures, prints each for a person as it comes, and
/// ends with one line holding a JSON object of them all, for scripts.
struct BenchReport {
    let name: String
    private var figures: [(String, String)] = []

    init(_ name: String) {
        self.name = name
        print("== caresync bench \(name) ==")
    }

    /// Records a figure; `label` is what a person reads, `key` the JSON name.
    mutating func add(_ key: String, _ value: Double, _ label: String, unit: String, digits: Int = 1) {
        figures.append((key, String(format: "%.\(digits)f", value)))
        print("\(label): \(String(format: "%.\(digits)f", value)) \(unit)")
    }

    mutating func add(_ key: String, _ value: Int, _ label: String, unit: String = "") {
        figures.append((key, String(value)))
        print("\(label): \(value) \(unit)")
    }

    /// Records a figure for the JSON line without printing it (for figures a
    /// ``note(_:)`` line already shows together).
    mutating func record(_ key: String, _ value: Double, digits: Int = 2) {
        figures.append((key, String(format: "%.\(digits)f", value)))
    }

    mutating func record(_ key: String, _ value: Int) {
        figures.append((key, String(value)))
    }

    /// Prints a line of context that is not a figure.
    func note(_ text: String) {
        print(text)
    }

    /// Prints the JSON line.
    func finish() {
        let members = [("\"bench\"", "\"\(name)\"")] + figures.map { ("\"\($0.0)\"", $0.1) }
        print("{" + members.map { "\($0.0):\($0.1)" }.joined(separator: ",") + "}")
    }
}

extension Duration {
    /// The duration in seconds, as a floating-point number for reports.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
    /// The duration in milliseconds.
    var milliseconds: Double { seconds * 1_000 }
}

/// Times `body`, returning seconds.
func measure(_ body: () throws -> Void) rethrows -> Double {
    try ContinuousClock().measure(body).seconds
}

/// The median of `runs` timings of `body`.
func medianSeconds(runs: Int = 3, _ body: () throws -> Void) rethrows -> Double {
    var times: [Double] = []
    for _ in 0..<runs { times.append(try measure(body)) }
    return times.median
}

extension Array where Element == Double {
    /// The middle value (the mean of the middle two for an even count); 0 when empty.
    var median: Double {
        guard !isEmpty else { return 0 }
        let sorted = self.sorted()
        return count % 2 == 1 ? sorted[count / 2] : (sorted[count / 2 - 1] + sorted[count / 2]) / 2
    }
}

/// CPU time the calling thread has used, in nanoseconds: steadier than wall
/// time on a machine busy with other work, for comparing one change with another.
func threadCPUNanoseconds() -> UInt64 {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
}

/// The user and system CPU time the calling thread has used, in nanoseconds:
/// the system part is mostly the kernel handing out fresh heap pages.
func threadCPUSplitNanoseconds() -> (user: UInt64, system: UInt64) {
    // RUSAGE_THREAD (1): a GNU extension, which Swift's Glibc module does not export.
    let thread: Int32 = 1
    var usage = rusage()
    getrusage(thread, &usage)
    func nanoseconds(_ time: timeval) -> UInt64 {
        UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_usec) * 1_000
    }
    return (nanoseconds(usage.ru_utime), nanoseconds(usage.ru_stime))
}
