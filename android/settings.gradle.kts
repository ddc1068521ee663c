// SafeShare Android shell: UI only. Every decision lives in the Rust core, reached through the
// generated uniffi Kotlin (bindings/build-android puts it and the .so files in app/src/main).
pluginManagement {
    repositories {
        google()
        mavenCentral()
        gradlePluginPortal()
    }
}
dependencyResolutionManagement {
    repositoriesMode.set(RepositoriesMode.FAIL_ON_PROJECT_REPOS)
    repositories {
        google()
        mavenCentral()
    }
}
rootProject.name = "SafeShare"
include(":app")
