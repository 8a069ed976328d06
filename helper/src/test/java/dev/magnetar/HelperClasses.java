package dev.magnetar;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/** The helper's production classes as ArchUnit sees them, imported once per test JVM (the import takes seconds). */
final class HelperClasses {

    private static JavaClasses imported;

    private HelperClasses() {}

    static synchronized JavaClasses production() {
        if (imported == null) {
            imported = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                    .importPackages("dev.magnetar");
        }
        return imported;
    }
}
