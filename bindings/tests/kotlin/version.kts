// Smallest proof the boundary works: the JVM loads the real library and calls into Rust.
import uniffi.safeshare.*
import uniffi.safeshare_core.*

check(coreVersion() == "0.1.0") { "unexpected core version ${coreVersion()}" }
println("kotlin: core version ${coreVersion()} loaded over JNA")
