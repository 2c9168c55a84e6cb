/// `CMakeLists.txt` for the model: a static library target named after it, whose include
/// folder is the output folder, so a project adds it with `add_subdirectory` and
/// `target_link_libraries(app PRIVATE NAME)`.
enum CMakePackage {
    /// Target names CMake keeps for itself (policy CMP0037), which a library cannot take.
    static let reservedTargets: Set<String> = [
        "all", "clean", "help", "install", "test", "package", "package_source", "edit_cache", "rebuild_cache",
        "list_install_components", "install_local", "install_strip", "ALL_BUILD", "ZERO_CHECK", "RUN_TESTS", "INSTALL",
        "PACKAGE", "depend",
    ]

    static func listFile(_ description: PackageDescriptionText) throws -> GeneratedModel.File {
        let name = description.name
        guard !reservedTargets.contains(name) else {
            throw CodeGenError.unpackageable(
                name: name, reason: "CMake keeps the target name '\(name)' for itself; give the model another name")
        }
        let sources = description.model.files.map(\.name).joined(separator: "\n    ")
        let text = """
            # \(description.generatedBy) for CMake: the static library `\(name)`.
            # \(description.sentence)
            # Use it from a project with
            #     add_subdirectory(path/to/this/folder)
            #     target_link_libraries(app PRIVATE \(name))
            # and `#include "\(description.header)"`.
            cmake_minimum_required(VERSION 3.13)
            project(\(name) LANGUAGES C)

            add_library(\(name) STATIC
                \(sources)
            )
            target_include_directories(\(name) PUBLIC ${CMAKE_CURRENT_SOURCE_DIR})
            set_target_properties(\(name) PROPERTIES C_STANDARD 99 C_STANDARD_REQUIRED ON C_EXTENSIONS OFF)
            # The kernels call expf, tanhf and the like: link the maths library where it is a separate one.
            if(NOT MSVC)
                target_link_libraries(\(name) PUBLIC m)
            endif()

            """
        return GeneratedModel.File(name: "CMakeLists.txt", contents: text)
    }
}
