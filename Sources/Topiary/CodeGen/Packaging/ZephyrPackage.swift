/// A Zephyr module: `zephyr/module.yml` points Zephyr's build at the folder's `CMakeLists.txt`
/// and `Kconfig`; the library is built when the application sets `CONFIG_TOPIARY_NAME=y`.
enum ZephyrPackage {
    static func files(_ description: PackageDescriptionText) -> [GeneratedModel.File] {
        let option = "TOPIARY_\(description.macro)"
        let module = """
            # \(description.generatedBy) as a Zephyr module.
            name: \(description.name)
            build:
              cmake: .
              kconfig: Kconfig

            """
        let lists = """
            # \(description.generatedBy) as a Zephyr module, built when CONFIG_\(option) is set.
            if(CONFIG_\(option))
              zephyr_library()
              zephyr_library_sources(\(description.source))
              zephyr_include_directories(${CMAKE_CURRENT_SOURCE_DIR})
            endif()

            """
        let kconfig = """
            # \(description.generatedBy) as a Zephyr module.
            config \(option)
            \tbool "Model \(description.name) (Topiary)"
            \tselect REQUIRES_FULL_LIBC
            \thelp
            \t  \(description.sentence)
            \t  Include \(description.header) and call \(description.name)_predict().

            """
        return [
            GeneratedModel.File(name: "zephyr/module.yml", contents: module),
            GeneratedModel.File(name: "CMakeLists.txt", contents: lists),
            GeneratedModel.File(name: "Kconfig", contents: kconfig),
        ]
    }
}
