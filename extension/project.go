package main

import (
	"errors"

	"github.com/pgml-go/pgml/algorithms"
)

type project struct {
	id   int64
	name string
	task algorithms.Task
}

// findProject returns nil, nil when no project has that name.
func findProject(name string) (*project, error) {
	rows, err := query(`SELECT id, task FROM pgml.projects WHERE name = $1`, name)
	if err != nil || len(rows) == 0 {
		return nil, err
	}
	task, err := algorithms.ParseTask(rows[0].str(1))
	if err != nil {
		return nil, newError(stateDataException, "project %q has task %q, which pgml does not support", name, rows[0].str(1))
	}
	return &project{id: rows[0].int64(0), name: name, task: task}, nil
}

// parseTrainingTask maps the task argument to a task train supports, with PostgresML's messages.
func parseTrainingTask(s string) (algorithms.Task, error) {
	task, err := algorithms.ParseTask(s)
	if err == nil {
		return task, nil
	}
	return 0, newError(stateInvalidParameter, "Unknown task `%s`, available options are: regression, classification, clustering, decomposition.", s)
}

// projectForTraining finds the project or creates it when a task is given.
func projectForTraining(name string, taskArg string, taskGiven bool) (*project, error) {
	if name == "" {
		return nil, newError(stateInvalidParameter, "project_name must not be empty")
	}
	var task algorithms.Task
	if taskGiven {
		var err error
		if task, err = parseTrainingTask(taskArg); err != nil {
			return nil, err
		}
	}
	existing, err := findProject(name)
	if err != nil {
		return nil, err
	}
	if existing != nil {
		if taskGiven && existing.task != task {
			return nil, newError(stateDuplicateObject, "Project `%s` already exists with a different task: `%s`. Create a new project instead.", name, existing.task)
		}
		return existing, nil
	}
	if !taskGiven {
		return nil, newError(stateUndefinedObject, "Project `%s` does not exist. To create a new project, you must specify a `task`.", name)
	}
	rows, err := query(`INSERT INTO pgml.projects (name, task) VALUES ($1, $2) RETURNING id`, name, task.String())
	if err != nil {
		return nil, err
	}
	if len(rows) != 1 {
		return nil, errors.New("pgml: INSERT INTO pgml.projects returned no id")
	}
	return &project{id: rows[0].int64(0), name: name, task: task}, nil
}
