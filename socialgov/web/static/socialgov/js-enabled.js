// Lets GOV.UK Frontend style components for JavaScript only when it will run.
document.body.className += " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
