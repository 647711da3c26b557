/// The JSON Schema (draft 2020-12) of an operation on the wire, generated from
/// the record schemas so that it can never drift from them. It is checked in as
/// `Schema/operation.schema.json`, the contract a non-Swift client is written
/// from; a test checks the file against this generator and the Swift encoder's
/// output against the file.
///
/// The schema checks shape and types. Rules that need more than one field at a
/// time (immutable fields only in a create, required fields, no field set twice)
/// are the validator's: ``OperationValidator``.
public enum OperationJSONSchema {
    static let uuidPattern = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
    static let namePattern = "^[A-Za-z0-9._@:-]{1,64}$"

    /// The schema document.
    public static func document() -> Value {
        let uuid: Value = ["type": "string", "pattern": .string(uuidPattern)]
        return [
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": "https://caresync.example/schema/operation.schema.json",
            "title": "CareSync operation",
            "description": "One change to one record, written by one replica. Hashes do not travel: the receiver recomputes them from the canonical encoding.",
            "type": "object",
            "additionalProperties": false,
            "required": ["action", "author", "changes", "device", "deviceTime", "hlc", "id", "record"],
            "properties": [
                "action": ["enum": ["create", "update", "delete"]],
                "author": ["type": "string", "pattern": .string(namePattern)],
                "changes": [
                    "type": "array", "minItems": 1, "maxItems": .int(Int64(OperationValidator.maximumChanges)),
                    "items": ["type": "object"],
                ],
                "context": [
                    "type": "object",
                    "propertyNames": ["pattern": .string(uuidPattern)],
                    "additionalProperties": ["type": "integer", "minimum": 1],
                ],
                "device": uuid,
                "deviceTime": ["type": "integer"],
                "hlc": [
                    "type": "object", "additionalProperties": false, "required": ["l", "t"],
                    "properties": [
                        "l": ["type": "integer", "minimum": 0, "maximum": .int(Int64(UInt32.max))],
                        "t": ["type": "integer"],
                    ],
                ],
                "id": [
                    "type": "object", "additionalProperties": false, "required": ["c", "r"],
                    "properties": ["c": ["type": "integer", "minimum": 1], "r": uuid],
                ],
                "record": [
                    "type": "object", "additionalProperties": false, "required": ["id", "kind"],
                    "properties": ["id": uuid, "kind": ["enum": .list(RecordKind.all.map { .string($0.rawValue) })]],
                ],
            ],
            "allOf": .list(RecordKind.all.compactMap(RecordSchema.of).map(changesRule)),
        ]
    }

    /// For operations on `schema.kind`: each change names one of its fields.
    static func changesRule(_ schema: RecordSchema) -> Value {
        [
            "if": ["properties": ["record": ["properties": ["kind": ["const": .string(schema.kind.rawValue)]]]]],
            "then": ["properties": ["changes": ["items": ["anyOf": .list(schema.fields.map(change))]]]],
        ]
    }

    static func change(_ field: FieldDescriptor) -> Value {
        var value = type(field.type)
        if field.isClearable { value = ["anyOf": [value, ["type": "null"]]] }
        let kind: Value = field.merge == .appendOnly ? "append" : "set"
        return [
            "type": "object", "additionalProperties": false, "required": ["f", "k", "v"],
            "properties": ["f": ["const": .string(field.name)], "k": ["const": kind], "v": value],
        ]
    }

    static func type(_ type: ValueType) -> Value {
        switch type {
        case .text(let maxBytes):
            // maxLength counts characters, which are never more than bytes: the
            // byte limit itself is the validator's.
            ["type": "string", "maxLength": .int(Int64(maxBytes))]
        case .name:
            ["type": "string", "pattern": .string(namePattern)]
        case .reference:
            ["type": "string", "pattern": .string(uuidPattern)]
        case .timestamp:
            ["type": "integer", "minimum": .int(ValueType.earliestTimestamp), "maximum": .int(ValueType.latestTimestamp)]
        case .integer(let range):
            ["type": "integer", "minimum": .int(range.lowerBound), "maximum": .int(range.upperBound)]
        case .boolean:
            ["type": "boolean"]
        case .oneOf(let allowed):
            ["enum": .list(allowed.map { .string($0) })]
        case .list(let element, let maxCount):
            ["type": "array", "maxItems": .int(Int64(maxCount)), "items": self.type(element)]
        case .object(let members):
            [
                "type": "object", "additionalProperties": false,
                "required": .list(members.filter(\.value.required).keys.sorted().map { .string($0) }),
                "properties": .object(
                    members.mapValues { member in
                        member.required ? self.type(member.type) : ["anyOf": [self.type(member.type), ["type": "null"]]]
                    }),
            ]
        }
    }
}
