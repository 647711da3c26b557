import CareModel
import Testing

/// Compares two canonical states and, when they differ, records the first
/// differing line (one record) rather than two walls of bytes.
func expectSameState(
    _ actual: [UInt8], _ expected: [UInt8], _ context: String, sourceLocation: SourceLocation = #_sourceLocation
) {
    guard actual != expected else { return }
    let actualLines = actual.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
    let expectedLines = expected.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
    let index = zip(actualLines, expectedLines).enumerated().first { $0.element.0 != $0.element.1 }?.offset
        ?? min(actualLines.count, expectedLines.count)
    func line(_ lines: [ArraySlice<UInt8>]) -> String {
        index < lines.count ? String(decoding: lines[index], as: UTF8.self) : "<none>"
    }
    Issue.record(
        "\(context): states differ at record line \(index)\n  got:      \(line(actualLines))\n  expected: \(line(expectedLines))",
        sourceLocation: sourceLocation)
}
