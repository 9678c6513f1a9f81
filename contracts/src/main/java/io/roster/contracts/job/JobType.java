package io.roster.contracts.job;

/** The kinds of job. Spelled in lower case on the API and in the database. */
public enum JobType {
    invite, delete, tag, transfer, export
}
