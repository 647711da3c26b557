import Foundation

/// The process's environment variables (for executables that read settings from it).
public enum ProcessEnvironment {
    public static var values: [String: String] { ProcessInfo.processInfo.environment }
}
