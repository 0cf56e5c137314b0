package org.neurite.runtime.cuda;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.neurite.runtime.CudaProbe;

/**
 * Marks a test class that needs a usable GPU: tagged {@code gpu}, and where the CUDA probe fails
 * every test is reported as skipped with the probe's reason (visible in the Surefire report and
 * printed once), never silently absent.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("gpu")
@ExtendWith(GpuTest.Condition.class)
public @interface GpuTest {
    /** Enables the tests only where {@link CudaProbe} says CUDA is usable. */
    final class Condition implements ExecutionCondition {
        @Override public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            CudaProbe.Result r = CudaProbe.probe();
            if (r.usable()) return ConditionEvaluationResult.enabled("CUDA usable");
            if (context.getTestMethod().isEmpty()) {
                System.out.println(context.getDisplayName() + " skipped: CUDA not usable: " + r.reason());
            }
            return ConditionEvaluationResult.disabled("CUDA not usable: " + r.reason());
        }
    }
}
