import CareModel
import CareStore

/// A push answer after its receipts were checked: what the store may apply.
struct CheckedPushAnswer {
    /// The results to apply: every rejected one, and the stored and duplicate
    /// ones whose receipt verified (all of them when the store knows no server key).
    var results: [OperationResult]
    /// The verified receipts to keep, one per acknowledged operation.
    var receipts: [OperationReceipt]
    /// Stored or duplicate results left out because their receipt is missing or
    /// does not verify: those operations stay unacknowledged (sent again next pass).
    var refused: Int
    /// The code of the first problem (`receipt_signature_invalid`, `receipt_mismatch`, `invalid_receipt`).
    var problem: String?
}

extension SyncEngine {
    /// Checks the receipts of `answer`, the server's reply to `batch`, against
    /// the server's key `key`. An operation the server says it holds counts as
    /// acknowledged only with a receipt signed by that key whose entry names the
    /// operation, its hash (the one this device computed), and the sequence the
    /// result states. Without a key (a store made before receipts) every result
    /// is applied and no receipt is kept.
    static func check(_ answer: PushResponse, of batch: UploadBatch, key: ServerPublicKey?) -> CheckedPushAnswer {
        guard let key else { return CheckedPushAnswer(results: answer.results, receipts: [], refused: 0) }
        var verified: [UInt64: OperationReceipt] = [:]
        var problem: String?
        if let receipts = answer.receipts {
            do throws(CareModelError) {
                for receipt in try receipts.receipts(verifiedWith: key) where receipt.entry.replica == batch.replica {
                    verified[receipt.entry.counter] = receipt
                }
            } catch {
                problem = error.code.rawValue
            }
        }
        let hashes = Dictionary(batch.operations.map { ($0.operation.id.counter, $0.hash) }, uniquingKeysWith: { $1 })
        var checked = CheckedPushAnswer(results: [], receipts: [], refused: 0)
        for result in answer.results {
            guard result.status == .stored || result.status == .duplicate else {
                checked.results.append(result)
                continue
            }
            guard let receipt = verified[result.id.counter], result.id.replica == batch.replica,
                receipt.entry.hash == hashes[result.id.counter], receipt.entry.sequence == result.sequence
            else {
                checked.refused += 1
                problem = problem ?? CareModelError.Code.receiptMismatch.rawValue
                continue
            }
            checked.results.append(result)
            checked.receipts.append(receipt)
        }
        checked.problem = checked.refused > 0 ? problem : nil
        return checked
    }
}
