import CareModel
import CareServer
import Foundation

/// `caresync audit export`: the log, or a filter of it, as NDJSON (verifiable
/// on its own, offline) or CSV (for spreadsheets).
public enum AuditExport {
    public enum Format: String, Sendable, CaseIterable {
        case ndjson, csv
    }

    /// Writes `source` through `filter` to `sink` (called with chunks of bytes);
    /// returns the number of operations written.
    @discardableResult
    public static func write(
        _ source: some AuditLogSource, filter: ExportFilter = ExportFilter(), format: Format,
        pageSize: Int = 10_000, progress: (Int) -> Void = { _ in }, to sink: ([UInt8]) throws -> Void
    ) async throws -> Int {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var buffer: [UInt8] = []
        func line(_ value: some Encodable) throws {
            buffer += Array(try encoder.encode(value))
            buffer.append(UInt8(ascii: "\n"))
        }
        let snapshot = try await AuditSnapshot.read(source)
        switch format {
        case .ndjson:
            try line(ExportLine.Header(wholeLog: source.isWholeLog && filter.keepsEverything, filter: filter))
            for device in snapshot.devices { try line(ExportLine.Device(device)) }
            for signature in snapshot.signatures { try line(ExportLine.Signature(signature)) }
        case .csv:
            buffer += Array((CSVRow.header.joined(separator: ",") + "\n").utf8)
        }

        var selection = ExportSelection(filter)
        var lastHash: [ReplicaID: OperationHash] = [:]
        var previousServerHash = ServerLogChain.genesis
        var written = 0
        var read = 0
        var lastSequence: UInt64 = 0
        try await source.forEachEntry(through: snapshot.lastSequence, pageSize: pageSize) { entry in
            let log = entry.log
            read += 1
            let dot = OperationIdentity.read(log.body)
            let previousHash = entry.previousHash ?? dot.flatMap { lastHash[$0.replica] } ?? .genesis
            let previousServer = entry.previousServerHash ?? previousServerHash
            if let dot { lastHash[dot.replica] = log.hash }
            previousServerHash = log.serverHash
            let needsOperation = filter.needsOperation || format == .csv
            let operation = needsOperation ? try? CareModel.Operation(canonicalBytes: log.body) : nil
            guard selection.keeps(receivedAt: log.receivedAt, operation: operation) else { return }
            switch format {
            case .ndjson:
                let meta = ExportLine.OperationMeta(
                    sequence: log.sequence, receivedAt: log.receivedAt, hash: log.hash,
                    serverHash: OperationHash(bytes: log.serverHash) ?? .genesis, previousHash: previousHash,
                    previousServerHash: OperationHash(bytes: previousServer) ?? .genesis)
                var metaBytes = Array(try encoder.encode(meta))
                metaBytes.removeLast()  // the closing brace: the operation member follows
                buffer += metaBytes + ExportLine.operationKey + log.body
                buffer += Array("}\n".utf8)
            case .csv:
                buffer += Array((CSVRow(log, operation: operation, encoder: encoder).fields.map(CSVRow.escape)
                    .joined(separator: ",") + "\n").utf8)
            }
            written += 1
            lastSequence = log.sequence
            if buffer.count > 1 << 20 {
                try sink(buffer)
                buffer.removeAll(keepingCapacity: true)
            }
            if read % pageSize == 0 { progress(read) }
        }
        if format == .ndjson { try line(ExportLine.Trailer(operations: written, lastSequence: lastSequence)) }
        try sink(buffer)
        progress(read)
        return written
    }
}

/// One operation as a CSV row.
struct CSVRow {
    static let header = [
        "sequence", "received_at", "device_time", "replica", "counter", "device", "author", "kind", "record",
        "action", "changes", "hash",
    ]
    let fields: [String]

    init(_ log: CareServer.LogEntry, operation: CareModel.Operation?, encoder: JSONEncoder) {
        let changes = operation.flatMap { try? encoder.encode($0.changes) }.map { String(decoding: $0, as: UTF8.self) }
        fields = [
            String(log.sequence), Self.iso(log.receivedAt), operation.map { Self.iso($0.deviceTime) } ?? "",
            operation?.id.replica.description ?? "", operation.map { String($0.id.counter) } ?? "",
            operation?.device.description ?? "", operation?.author.rawValue ?? "",
            operation?.record.kind.rawValue ?? "", operation?.record.id.description ?? "",
            operation?.action.rawValue ?? "", changes ?? "", log.hash.hex,
        ]
    }

    /// Unix milliseconds as ISO 8601 UTC with milliseconds.
    static func iso(_ millis: Int64) -> String {
        Date.ISO8601FormatStyle(includingFractionalSeconds: true).format(
            Date(timeIntervalSince1970: Double(millis) / 1_000))
    }

    /// Quotes a field holding a comma, quote or line break (RFC 4180).
    static func escape(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
