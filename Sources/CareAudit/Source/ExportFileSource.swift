public import CareServer
import CareModel
import Foundation

/// An audit over an NDJSON export (``AuditExport``), offline: everything it
/// needs (devices and their keys, signatures, hashes, canonical operations) is
/// in the file.
public struct ExportFileSource: AuditLogSource {
    public let isWholeLog: Bool
    public let filter: ExportFilter
    private let deviceList: [DeviceSummary]
    private let signatureList: [StoredChainSignature]
    private let entryList: [AuditEntry]
    private let findings: [AuditFinding]

    /// Reads the export at `path`. Throws only when the file cannot be read or
    /// is not an export at all; damage inside it becomes findings.
    public init(path: String) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        try self.init(bytes: [UInt8](data))
    }

    public init(bytes: [UInt8]) throws {
        let decoder = JSONDecoder()
        var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        let endsWithNewline = bytes.last == UInt8(ascii: "\n")
        if endsWithNewline { lines.removeLast() }
        guard let first = lines.first,
            let header = try? decoder.decode(ExportLine.Header.self, from: Data(first)),
            header.type == "header", header.format == ExportLine.format
        else {
            throw AuditSourceError.notAnExport
        }
        isWholeLog = header.wholeLog
        filter = header.filter
        var devices: [DeviceSummary] = []
        var signatures: [StoredChainSignature] = []
        var entries: [AuditEntry] = []
        var findings: [AuditFinding] = []
        var trailer: ExportLine.Trailer?
        for (number, line) in lines.enumerated().dropFirst() {
            let lineNumber = number + 1
            func malformed(_ what: String) {
                findings.append(AuditFinding(.malformedExport, "line \(lineNumber): \(what)"))
            }
            if trailer != nil {
                malformed("a line after the end line")
                continue
            }
            let kind = (try? decoder.decode(ExportLine.Kind.self, from: Data(Self.metaPart(line)))).map(\.type)
            switch kind {
            case "device":
                guard let device = try? decoder.decode(ExportLine.Device.self, from: Data(line)) else {
                    malformed("not a device line")
                    continue
                }
                devices.append(device.summary)
            case "signature":
                guard let signature = try? decoder.decode(ExportLine.Signature.self, from: Data(line)) else {
                    malformed("not a signature line")
                    continue
                }
                signatures.append(signature.stored)
            case "operation":
                guard let entry = Self.operation(line, decoder: decoder) else {
                    malformed("not an operation line")
                    continue
                }
                entries.append(entry)
            case "end":
                trailer = try? decoder.decode(ExportLine.Trailer.self, from: Data(line))
                if trailer == nil { malformed("not an end line") }
            default:
                malformed("an unreadable line (cut short?)")
            }
        }
        let lastSequence = entries.last?.log.sequence ?? 0
        if let trailer {
            if trailer.operations != entries.count || trailer.lastSequence != lastSequence {
                findings.append(AuditFinding(
                    .truncatedExport,
                    "the end line counts \(trailer.operations) operations through sequence \(trailer.lastSequence); "
                        + "the file holds \(entries.count) through sequence \(lastSequence)",
                    sequence: lastSequence))
            }
        } else {
            findings.append(AuditFinding(
                .truncatedExport,
                "the export ends without its end line: cut short after line \(lines.count)"
                    + (entries.isEmpty ? "" : ", after the operation at sequence \(lastSequence)"),
                sequence: entries.isEmpty ? nil : lastSequence))
        }
        deviceList = devices
        signatureList = signatures
        entryList = entries
        self.findings = findings
    }

    /// An operation line's members before `"operation":`, closed as an object
    /// (the whole line for other kinds).
    private static func metaPart(_ line: ArraySlice<UInt8>) -> [UInt8] {
        guard let start = line.firstRange(of: ExportLine.operationKey)?.lowerBound else { return Array(line) }
        return Array(line[..<start]) + [UInt8(ascii: "}")]
    }

    private static func operation(_ line: ArraySlice<UInt8>, decoder: JSONDecoder) -> AuditEntry? {
        guard let keyRange = line.firstRange(of: ExportLine.operationKey), line.last == UInt8(ascii: "}"),
            let meta = try? decoder.decode(ExportLine.OperationMeta.self, from: Data(metaPart(line)))
        else { return nil }
        let body = Array(line[keyRange.upperBound..<(line.endIndex - 1)])
        return AuditEntry(
            log: CareServer.LogEntry(
                sequence: meta.sequence, receivedAt: meta.receivedAt, hash: meta.hash,
                serverHash: meta.serverHash.bytes, body: body),
            previousHash: meta.previousHash, previousServerHash: meta.previousServerHash.bytes)
    }

    public func devices() async throws -> [DeviceSummary] { deviceList }
    public func signatures() async throws -> [StoredChainSignature] { signatureList }

    public func entries(after sequence: UInt64, limit: Int) async throws -> [AuditEntry] {
        // Entries are in file order; a damaged file may not be sorted, so scan rather than search.
        var start = entryList.startIndex
        if sequence > 0 {
            start = (entryList.lastIndex { $0.log.sequence == sequence }.map { $0 + 1 })
                ?? entryList.firstIndex { $0.log.sequence > sequence } ?? entryList.endIndex
        }
        return Array(entryList[start..<min(start + limit, entryList.endIndex)])
    }

    public func sourceFindings() async throws -> [AuditFinding] { findings }

    /// An export is read whole when it is opened: it cannot grow.
    public func lastSequence() async throws -> UInt64? { nil }
}

/// Why a file cannot be audited at all.
public enum AuditSourceError: Error, CustomStringConvertible {
    /// The file does not start with an export header.
    case notAnExport

    public var description: String {
        switch self {
        case .notAnExport: "not a caresync audit export (its first line is not a caresync-audit-export-v1 header)"
        }
    }
}
