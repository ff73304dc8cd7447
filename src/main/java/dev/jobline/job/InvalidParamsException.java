package dev.jobline.job;

/** Params that fail their type's schema; the message names the field and the rule. */
public class InvalidParamsException extends RuntimeException {
    public InvalidParamsException(String message) {
        super(message);
    }
}
