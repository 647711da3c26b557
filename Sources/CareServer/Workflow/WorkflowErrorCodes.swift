extension ServerError.Code {
    /// The workflows file (`--workflows`) cannot be read or holds a wrong setting; the server does not start.
    public static let invalidWorkflowSettings = Self(rawValue: "invalid_workflow_settings")
    /// The request needs the coordinator (or auditor) role.
    public static let coordinatorOnly = Self(rawValue: "coordinator_only")
    /// The request needs the safeguarding lead (or auditor) role.
    public static let safeguardingOnly = Self(rawValue: "safeguarding_only")
}
