import Foundation

/// Starts a shell that kills `process` once the test process is gone, however the tests end
/// (a crash or a time limit skips `atexit`), so no server a test started outlives it.
func startWatchdog(killing process: Process) throws -> Process {
    let watchdog = Process()
    watchdog.executableURL = URL(fileURLWithPath: "/bin/sh")
    watchdog.arguments = [
        "-c", "while [ -d /proc/$1 ] && [ -d /proc/$2 ]; do sleep 0.5; done; [ -d /proc/$2 ] && kill -9 $2",
        "watchdog", String(getpid()), String(process.processIdentifier),
    ]
    watchdog.standardInput = FileHandle.nullDevice
    watchdog.standardOutput = FileHandle.nullDevice
    watchdog.standardError = FileHandle.nullDevice
    try watchdog.run()
    return watchdog
}
