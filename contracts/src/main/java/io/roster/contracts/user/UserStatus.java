package io.roster.contracts.user;

/** pending: invited, never logged in; active: has logged in; inactive: no login for the inactivity period. */
public enum UserStatus {
    pending, active, inactive
}
