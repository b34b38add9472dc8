"""What coordinators and trainers see of their cohorts: progress, the dashboard and its exports.

It lives in `lms`, the app that composes the others, because it reads across all of them:
courses (enrollments, lessons, attendance), assessments (scores) and certificates.
"""
