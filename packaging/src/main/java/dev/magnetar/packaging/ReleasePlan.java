package dev.magnetar.packaging;

import java.util.List;

/** The steps of one platform's release build, in order, and the packages they produce. */
public record ReleasePlan(List<ReleaseStep> steps, List<dev.magnetar.installer.TargetPath> artifacts) {

    public ReleasePlan {
        steps = List.copyOf(steps);
        artifacts = List.copyOf(artifacts);
    }

    public List<String> describe() {
        return steps.stream().map(ReleaseStep::describe).toList();
    }

    /** The steps of one kind, in order (for tests and for the build log). */
    public <T extends ReleaseStep> List<T> stepsOf(Class<T> kind) {
        return steps.stream().filter(kind::isInstance).map(kind::cast).toList();
    }
}
