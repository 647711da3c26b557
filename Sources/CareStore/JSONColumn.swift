import CareModel
import Foundation

/// JSON columns: written as canonical JSON of a model ``Value``, read back as one.
enum JSONColumn {
    static func encode(_ value: Value) -> String {
        var writer = CanonicalJSONWriter(reservingCapacity: 128)
        writer.value(value)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    static func encode(_ strings: [String]) -> String {
        encode(.list(strings.map(Value.string)))
    }

    static func decode(_ text: String) throws -> Value {
        do {
            return try JSONDecoder().decode(Value.self, from: Data(text.utf8))
        } catch {
            throw CareStoreError(.corruptDatabase, "a JSON column does not decode")
        }
    }

    static func strings(_ text: String) throws -> [String] {
        (try decode(text).listValue ?? []).compactMap(\.stringValue)
    }
}
